package io.shiftsr.image;

/**
 * The IJG quality (1-100) a JPEG file was saved at, read from its quantization tables (DQT), as libjpeg's and
 * ImageMagick's estimates do: libjpeg's {@code jpeg_set_quality} scales the standard tables of the JPEG
 * specification (Annex K) by {@code q < 50 ? 5000 / q : 200 - 2q} percent; the estimate is the quality whose
 * scaled tables lie closest to the file's (exact for files from libjpeg and the encoders built on it, the
 * nearest match for cameras and other encoders with tables of their own).
 */
public final class JpegQuality {
    /** Annex K.1 luminance table, natural (row-major) order. */
    static final int[] LUMA = {
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
        14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99};
    /** Annex K.2 chrominance table, natural order. */
    private static final int[] CHROMA = {
        17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99,
        47, 66, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99};
    /** Zigzag position k (the order DQT stores values in) to natural index. */
    static final int[] ZIGZAG = {
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14,
        21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53,
        60, 61, 54, 47, 55, 62, 63};

    private JpegQuality() {
    }

    /**
     * The estimated quality of a JPEG file's bytes, or 0 when they hold no usable quantization table (not a
     * JPEG, or cut before its tables). Reads the markers up to the first scan only.
     */
    public static int estimate(byte[] file) {
        int[][] tables = tables(file);
        if (tables[0] == null) {
            return 0;
        }
        int best = 0;
        long bestError = Long.MAX_VALUE;
        for (int q = 1; q <= 100; q++) {
            long error = error(tables[0], LUMA, q) + (tables[1] == null ? 0 : error(tables[1], CHROMA, q));
            if (error <= bestError) { // ties go to the higher quality
                bestError = error;
                best = q;
            }
        }
        return best;
    }

    /** Fewest 8x8 blocks {@link #fromPixels} decides on: fewer, and a lattice would turn up by chance. */
    static final int MIN_BLOCKS = 64;
    /** Side of the centre square a large image is read in. */
    static final int MAX_SIDE = 1024;
    /** At most this many blocks per grid phase are scored (evenly spread), to bound the time on large images. */
    static final int MAX_BLOCKS = 4096;
    /** Largest DC step looked for: 27 is quality 30, where the degradation level tops out. */
    static final int MAX_STEP = 40;
    /**
     * How many standard deviations of chance the lattice fit must clear: the fit (mean of cos(2 pi DC / step))
     * of DCs spread evenly is 0 +- 1 / sqrt(2 blocks), and 64 phases x 39 steps are tried. On a JPEG's blocks
     * the fit is about exp(-2 pi^2 sigma^2 / step^2) for the noise sigma that 8-bit rounding leaves (about 0.5
     * here: 0.1-0.55 at step 2, 0.2-0.7 at step 3, measured on training photos at quality 90-95).
     */
    static final double CHANCE_SIGMAS = 5.5;
    /** The lowest fit taken as a lattice, however many blocks. */
    static final double MIN_FIT = 0.12;

    /**
     * The IJG quality decoded pixels were last JPEG-compressed at, from the pixels alone (a PNG re-saved from a
     * JPEG, a screenshot of one, pixels handed to the API), or 0 when they show no JPEG's quantization. A JPEG
     * stores each 8x8 block's DC coefficient as a multiple of its table's first entry, so in the decoded luma
     * the blocks' DCs (sum / 8 - 1024 of the block's JFIF luma) sit on that lattice, up to 8-bit rounding; in an
     * image that was never a JPEG, or was resized since, they spread evenly. The step found is the largest whose
     * lattice the blocks fit beyond chance ({@link #CHANCE_SIGMAS}) on some grid phase (the image may have been
     * cropped; phase (0, 0) first); the quality is the middle one of those whose scaled standard table has that
     * step (exact for libjpeg's tables, the equivalent for others). Flat and clipped blocks are left out. Steps
     * of 1 (quality 97 and above) cannot be told from clean pixels: 0. Not told apart: flat-coloured graphics
     * whose edges fall on the 8-pixel grid, whose few distinct DCs a lattice can fit by chance (as their block
     * edges fooled the blockiness estimate before this).
     */
    public static int fromPixels(Image img) {
        if ((long) (img.width() / 8) * (img.height() / 8) < MIN_BLOCKS) {
            return 0;
        }
        // A large image is read in its centre, at most MAX_SIDE square, from a multiple of 8 so the grid phase
        // stays the image's: the integral images below take 24 bytes a pixel.
        int w = Math.min(img.width(), MAX_SIDE), h = Math.min(img.height(), MAX_SIDE);
        int x0 = (img.width() - w) / 2 / 8 * 8, y0 = (img.height() - h) / 2 / 8 * 8, stride = img.width();
        int s1 = w + 1;
        double[] sum = new double[s1 * (h + 1)], sq = new double[s1 * (h + 1)], clipped = new double[s1 * (h + 1)];
        float[] r = img.plane(0), g = img.plane(img.channels() == 3 ? 1 : 0), b = img.plane(img.channels() == 3 ? 2 : 0);
        for (int yy = 0; yy < h; yy++) {
            double row = 0, rowSq = 0, rowClipped = 0;
            for (int x = 0; x < w; x++) {
                int i = (y0 + yy) * stride + x0 + x, r8 = Image.to8(r[i]), g8 = Image.to8(g[i]), b8 = Image.to8(b[i]);
                double y = 0.299 * r8 + 0.587 * g8 + 0.114 * b8; // JFIF's luma, what the encoder transformed
                row += y;
                rowSq += y * y;
                rowClipped += Math.max(Math.max(r8, g8), b8) == 0 || Math.min(Math.min(r8, g8), b8) == 255 ? 1 : 0;
                int at = (yy + 1) * s1 + x + 1, above = yy * s1 + x + 1;
                sum[at] = sum[above] + row;
                sq[at] = sq[above] + rowSq;
                clipped[at] = clipped[above] + rowClipped;
            }
        }
        int bestStep = 0;
        for (int phase = 0; phase < 64; phase++) {
            int px = phase & 7, py = phase >> 3;
            double[] dc = blockDcs(sum, sq, clipped, s1, w, h, px, py);
            if (dc.length < MIN_BLOCKS) {
                continue;
            }
            // A lattice shows only where the DCs spread over several of its cells: a narrow spread of DCs (a
            // low-contrast image) fits any step wider than itself.
            bestStep = Math.max(bestStep, largestLattice(dc, Math.min(MAX_STEP, (int) (std(dc) / 2))));
            if (phase == 0 && bestStep > 0) {
                break; // the usual case, an uncropped image: no need to look at the other phases
            }
        }
        return bestStep == 0 ? 0 : qualityOfDcStep(bestStep);
    }

    /** The largest step from maxStep down to 2 whose lattice the values fit beyond chance, not as an echo; or 0. */
    private static int largestLattice(double[] values, int maxStep) {
        double needed = Math.max(MIN_FIT, CHANCE_SIGMAS / Math.sqrt(2.0 * values.length));
        for (int step = maxStep; step >= 2; step--) {
            double fit = latticeFit(values, step);
            if (fit >= needed && !harmonic(values, step, fit)) {
                return step;
            }
        }
        return 0;
    }

    /**
     * Whether a step's fit is only the echo of a finer lattice: DCs on multiples of s fit 2s or 3s a little
     * when they crowd on some multiples (a narrow spread), but far less than they fit s. On a true lattice of
     * the step the fit at a divisor d is no higher (more of the rounding noise per cell: exp(-2 pi^2 sigma^2 /
     * d^2)), so a divisor that fits clearly better (by 0.1, or three chance deviations on few blocks) gives the
     * echo away.
     */
    private static boolean harmonic(double[] dc, int step, double fit) {
        double margin = Math.max(0.1, 3 / Math.sqrt(2.0 * dc.length));
        for (int d = 2; d <= step / 2; d++) {
            if (step % d == 0 && latticeFit(dc, d) > fit + margin) {
                return true;
            }
        }
        return false;
    }

    private static double std(double[] v) {
        double m = 0, m2 = 0;
        for (double x : v) {
            m += x;
            m2 += x * x;
        }
        m /= v.length;
        return Math.sqrt(Math.max(0, m2 / v.length - m * m));
    }

    /**
     * The DCs (sum / 8 - 1024) of the 8x8 blocks at grid phase (px, py) that are neither flat nor clipped,
     * evenly thinned to at most MAX_BLOCKS. A block with a pixel clipped to black or white is left out: the decoder
     * clipped it off the lattice, and the clipped blocks of a bright or dark image that was never a JPEG crowd
     * their DCs near one value.
     */
    private static double[] blockDcs(double[] sum, double[] sq, double[] clipped, int s1, int w, int h, int px,
            int py) {
        int bx = (w - px) / 8, by = (h - py) / 8;
        long n = (long) bx * by;
        int stride = (int) Math.max(1, (n + MAX_BLOCKS - 1) / MAX_BLOCKS);
        double[] out = new double[(int) Math.min(n, MAX_BLOCKS)];
        int k = 0;
        for (long i = 0; i < n && k < out.length; i += stride) {
            int x0 = px + 8 * (int) (i % bx), y0 = py + 8 * (int) (i / bx);
            double s = box(sum, s1, x0, y0), s2 = box(sq, s1, x0, y0);
            if (box(clipped, s1, x0, y0) > 0 || s2 / 64 - (s / 64) * (s / 64) < 1.0) { // clipped, or flat
                continue;
            }
            out[k++] = s / 8 - 1024;
        }
        return java.util.Arrays.copyOf(out, k);
    }

    private static double box(double[] integral, int s1, int x0, int y0) {
        return integral[(y0 + 8) * s1 + x0 + 8] - integral[y0 * s1 + x0 + 8] - integral[(y0 + 8) * s1 + x0]
                + integral[y0 * s1 + x0];
    }

    /** Mean of cos(2 pi v / step): 1 when every value is a multiple of step, about 0 when they spread evenly. */
    static double latticeFit(double[] values, int step) {
        double c = 0;
        for (double v : values) {
            c += Math.cos(2 * Math.PI * v / step);
        }
        return c / values.length;
    }

    /** The middle quality of those whose scaled luminance table has this DC step; the nearest step's if none. */
    static int qualityOfDcStep(int step) {
        int lo = 0, hi = 0, nearest = 1, nearestGap = Integer.MAX_VALUE;
        for (int q = 1; q <= 100; q++) {
            int s = scaled(LUMA, q)[0], gap = Math.abs(s - step);
            if (s == step) {
                lo = lo == 0 ? q : lo;
                hi = q;
            }
            if (gap < nearestGap) {
                nearestGap = gap;
                nearest = q;
            }
        }
        return lo == 0 ? nearest : (lo + hi) / 2;
    }

    /** libjpeg's table for {@code std} at quality {@code q}, baseline (values 1-255), natural order. */
    static int[] scaled(int[] std, int q) {
        int scale = q < 50 ? 5000 / q : 200 - 2 * q;
        int[] t = new int[64];
        for (int i = 0; i < 64; i++) {
            t[i] = Math.max(1, Math.min(255, (std[i] * scale + 50) / 100));
        }
        return t;
    }

    private static long error(int[] table, int[] std, int q) {
        int[] s = scaled(std, q);
        long e = 0;
        for (int i = 0; i < 64; i++) {
            e += Math.abs(table[i] - s[i]);
        }
        return e;
    }

    /** Tables 0 (luminance) and 1 (chrominance) in natural order; null where absent. */
    private static int[][] tables(byte[] d) {
        int[][] out = new int[4][];
        if (d.length < 4 || (d[0] & 0xFF) != 0xFF || (d[1] & 0xFF) != 0xD8) {
            return out;
        }
        int at = 2;
        while (at + 4 <= d.length) {
            if ((d[at] & 0xFF) != 0xFF) {
                break;
            }
            int marker = d[at + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte
                at++;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) { // start of scan, end of image: no tables after
                break;
            }
            int len = ((d[at + 2] & 0xFF) << 8) | (d[at + 3] & 0xFF);
            if (len < 2 || at + 2 + len > d.length) {
                break;
            }
            if (marker == 0xDB) {
                int p = at + 4, end = at + 2 + len;
                while (p < end) {
                    int precision = (d[p] >> 4) & 0x0F, id = d[p] & 0x0F;
                    int size = precision == 0 ? 64 : 128;
                    if (id > 3 || p + 1 + size > end) {
                        break;
                    }
                    int[] t = new int[64];
                    for (int k = 0; k < 64; k++) {
                        int v = precision == 0 ? d[p + 1 + k] & 0xFF
                                : ((d[p + 1 + 2 * k] & 0xFF) << 8) | (d[p + 2 + 2 * k] & 0xFF);
                        t[ZIGZAG[k]] = v;
                    }
                    out[id] = t;
                    p += 1 + size;
                }
            }
            at += 2 + len;
        }
        return out;
    }
}
