package io.shiftsr.image;

/**
 * MATLAB-compatible bicubic {@code imresize} (DESIGN.md section 7): cubic kernel with a = -0.5, antialiased
 * when shrinking (kernel stretched by 1/scale, weights scaled by scale), symmetric padding at the borders,
 * separable, float64 accumulation. This is the reference degradation and the bicubic baseline; torch's
 * bicubic (a = -0.75, no antialiasing) is not the same thing (DESIGN.md section 9).
 *
 * <p>Results are not clamped (bicubic overshoots a little); quantise with {@link Image#quantize8()} to get
 * what MATLAB's uint8 output would hold.
 */
public final class MatlabBicubic {
    /** Support of the cubic kernel at scale 1. */
    private static final double KERNEL_WIDTH = 4.0;

    private MatlabBicubic() {
    }

    /**
     * The 1-D weights of one axis, as MATLAB's {@code contributions()} computes them: output i (0-based)
     * reads {@code taps} input samples {@code index[i*taps + k]} with weights {@code weight[i*taps + k]}
     * (weights normalised to sum 1; out-of-range indices already mirrored into the image).
     */
    public static final class Contributions {
        public final int inSize;
        public final int outSize;
        public final int taps;
        public final int[] index;
        public final double[] weight;

        Contributions(int inSize, int outSize, int taps, int[] index, double[] weight) {
            this.inSize = inSize;
            this.outSize = outSize;
            this.taps = taps;
            this.index = index;
            this.weight = weight;
        }
    }

    /** MATLAB's cubic kernel, a = -0.5 (Keys). */
    static double cubic(double x) {
        double ax = Math.abs(x);
        double ax2 = ax * ax;
        double ax3 = ax2 * ax;
        if (ax <= 1) {
            return 1.5 * ax3 - 2.5 * ax2 + 1;
        }
        if (ax <= 2) {
            return -0.5 * ax3 + 2.5 * ax2 - 4 * ax + 2;
        }
        return 0;
    }

    /** Computes the contributions of one axis; {@code scale} is the kernel scale (usually outSize/inSize). */
    public static Contributions contributions(int inSize, int outSize, double scale) {
        if (inSize <= 0 || outSize <= 0 || !(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("bad resize: " + inSize + " -> " + outSize + " at scale " + scale);
        }
        boolean shrink = scale < 1;
        double kernelWidth = shrink ? KERNEL_WIDTH / scale : KERNEL_WIDTH;
        int taps = (int) Math.ceil(kernelWidth) + 2;
        int[] index = new int[outSize * taps];
        double[] weight = new double[outSize * taps];
        int period = 2 * inSize;
        for (int i = 0; i < outSize; i++) {
            // MATLAB's 1-based formulas: x = i+1, u = x/scale + 0.5*(1 - 1/scale), left = floor(u - width/2).
            double u = (i + 1) / scale + 0.5 * (1 - 1 / scale);
            long left = (long) Math.floor(u - kernelWidth / 2);
            double sum = 0;
            for (int k = 0; k < taps; k++) {
                long idx1 = left + k; // 1-based, may fall outside 1..inSize
                double d = u - idx1;
                double w = shrink ? scale * cubic(scale * d) : cubic(d);
                weight[i * taps + k] = w;
                sum += w;
                // Symmetric padding, MATLAB's aux = [1:in, in:-1:1]; idx = aux(mod(idx-1, 2*in) + 1).
                int m = (int) Math.floorMod(idx1 - 1, (long) period);
                index[i * taps + k] = m < inSize ? m : period - 1 - m;
            }
            for (int k = 0; k < taps; k++) {
                weight[i * taps + k] /= sum;
            }
        }
        return new Contributions(inSize, outSize, taps, index, weight);
    }

    /**
     * The 1-D resize as a dense outSize x inSize matrix (mirrored taps folded in), so that
     * {@code out = W * in} along one axis. Lets other code run the degradation as a matmul.
     */
    public static float[][] weightMatrix(int inSize, int outSize, double scale) {
        Contributions c = contributions(inSize, outSize, scale);
        double[][] acc = new double[outSize][inSize];
        for (int i = 0; i < outSize; i++) {
            for (int k = 0; k < c.taps; k++) {
                acc[i][c.index[i * c.taps + k]] += c.weight[i * c.taps + k];
            }
        }
        float[][] m = new float[outSize][inSize];
        for (int i = 0; i < outSize; i++) {
            for (int j = 0; j < inSize; j++) {
                m[i][j] = (float) acc[i][j];
            }
        }
        return m;
    }

    /** MATLAB's default output size, ceil(in * scale); products within 1e-9 of an integer snap to it. */
    public static int outputSize(int inSize, double scale) {
        double v = inSize * scale;
        double r = Math.rint(v);
        // 300 * (1/3.0) = 100.00000000000001 would otherwise become 101.
        int n = Math.abs(v - r) < 1e-9 ? (int) r : (int) Math.ceil(v);
        return Math.max(1, n);
    }

    /** Resizes by {@code scale} on both axes to ceil(size * scale). */
    public static Image resize(Image img, double scale) {
        return resize(img, outputSize(img.width(), scale), outputSize(img.height(), scale), scale);
    }

    /**
     * Resizes to outW x outH using {@code scale} for the kernel on both axes (as MATLAB does when both a
     * scale and a size are given). Pass scale <= 0 to use outW/width and outH/height per axis. Alpha is
     * resized the same way.
     */
    public static Image resize(Image img, int outW, int outH, double scale) {
        double sx = scale > 0 ? scale : (double) outW / img.width();
        double sy = scale > 0 ? scale : (double) outH / img.height();
        Contributions cx = contributions(img.width(), outW, sx);
        Contributions cy = contributions(img.height(), outH, sy);
        boolean heightFirst = sy <= sx;
        float[][] planes = new float[img.channels()][];
        for (int c = 0; c < planes.length; c++) {
            planes[c] = resizePlane(img.plane(c), img.width(), img.height(), cx, cy, heightFirst);
        }
        float[] alpha = img.hasAlpha()
                ? resizePlane(img.alpha(), img.width(), img.height(), cx, cy, heightFirst) : null;
        return Image.of(outW, outH, planes, alpha, img.sourceBitDepth());
    }

    /**
     * Rows [from, to) of {@link #resize(Image, int, int, double)}, bit for bit, reading only the input rows they
     * need: lets a large output be made band by band in bounded memory. Alpha is left out.
     */
    public static Image resizeRows(Image img, int outW, int outH, double scale, int from, int to) {
        if (from < 0 || to > outH || from >= to) {
            throw new IllegalArgumentException("bad row range " + from + ".." + to + " of " + outH);
        }
        // Each output row depends only on the input, never on its neighbours, so a band cut into parts made on
        // every core is the same band bit for bit (the y0 of an upscale was 10% of its time on one core).
        int parts = (int) Math.min(Runtime.getRuntime().availableProcessors(),
                (long) outW * (to - from) / PARALLEL_PIXELS);
        if (parts < 2) {
            return resizeRowsOnOneCore(img, outW, outH, scale, from, to);
        }
        Image[] done = java.util.stream.IntStream.range(0, parts).parallel()
                .mapToObj(k -> resizeRowsOnOneCore(img, outW, outH, scale,
                        from + (int) ((long) (to - from) * k / parts), from + (int) ((long) (to - from) * (k + 1) / parts)))
                .toArray(Image[]::new);
        float[][] planes = new float[img.channels()][Math.multiplyExact(outW, to - from)];
        for (int c = 0; c < planes.length; c++) {
            int at = 0;
            for (Image part : done) {
                float[] src = part.plane(c);
                System.arraycopy(src, 0, planes[c], at, src.length);
                at += src.length;
            }
        }
        return Image.of(outW, to - from, planes, null, img.sourceBitDepth());
    }

    /** Output pixels of a band below which it is made on one core (the split costs more than it saves). */
    private static final long PARALLEL_PIXELS = 64 * 1024;

    private static Image resizeRowsOnOneCore(Image img, int outW, int outH, double scale, int from, int to) {
        double sx = scale > 0 ? scale : (double) outW / img.width();
        double sy = scale > 0 ? scale : (double) outH / img.height();
        Contributions cx = contributions(img.width(), outW, sx);
        Contributions cy = contributions(img.height(), outH, sy);
        // The input rows the band reads, and the band's contributions re-indexed into them.
        int lo = Integer.MAX_VALUE, hi = -1;
        for (int i = from * cy.taps; i < to * cy.taps; i++) {
            lo = Math.min(lo, cy.index[i]);
            hi = Math.max(hi, cy.index[i]);
        }
        int rows = hi - lo + 1, n = to - from;
        int[] index = new int[n * cy.taps];
        double[] weight = new double[n * cy.taps];
        for (int i = 0; i < index.length; i++) {
            index[i] = cy.index[from * cy.taps + i] - lo;
            weight[i] = cy.weight[from * cy.taps + i];
        }
        Contributions band = new Contributions(rows, n, cy.taps, index, weight);
        int w = img.width();
        float[][] planes = new float[img.channels()][];
        for (int c = 0; c < planes.length; c++) {
            float[] src = java.util.Arrays.copyOfRange(img.plane(c), lo * w, (hi + 1) * w);
            planes[c] = resizePlane(src, w, rows, cx, band, sy <= sx);
        }
        return Image.of(outW, n, planes, null, img.sourceBitDepth());
    }

    /** Resizes one row-major plane of size w x h to outW x outH (kernel scale per axis = out/in). */
    public static float[] resizePlane(float[] plane, int w, int h, int outW, int outH) {
        double sx = (double) outW / w;
        double sy = (double) outH / h;
        return resizePlane(plane, w, h, contributions(w, outW, sx), contributions(h, outH, sy), sy <= sx);
    }

    /**
     * Resizes one plane with precomputed contributions (reuse them for many planes of one size).
     * MATLAB resizes the axis with the smaller scale first, rows (height) on a tie.
     */
    public static float[] resizePlane(float[] plane, int w, int h, Contributions cx, Contributions cy,
                                      boolean heightFirst) {
        if (cx.inSize != w || cy.inSize != h || plane.length != w * h) {
            throw new IllegalArgumentException("contributions do not match a " + w + "x" + h + " plane");
        }
        double[] src = new double[plane.length];
        for (int i = 0; i < src.length; i++) {
            src[i] = plane[i];
        }
        if (heightFirst) {
            float[] result = new float[cx.outSize * cy.outSize];
            alongWidth(alongHeight(src, w, cy), cy.outSize, cx, null, result);
            return result;
        }
        double[] out = alongHeight(alongWidth(src, h, cx, new double[cx.outSize * h], null), cx.outSize, cy);
        float[] result = new float[out.length];
        for (int i = 0; i < out.length; i++) {
            result[i] = (float) out[i];
        }
        return result;
    }

    /** Resamples the columns: w x in -> w x out. Inner loop runs along a row for cache-friendly access. */
    private static double[] alongHeight(double[] src, int w, Contributions c) {
        double[] dst = new double[w * c.outSize];
        for (int i = 0; i < c.outSize; i++) {
            int o = i * w;
            for (int k = 0; k < c.taps; k++) {
                double wt = c.weight[i * c.taps + k];
                if (wt == 0) {
                    continue;
                }
                int s = c.index[i * c.taps + k] * w;
                for (int x = 0; x < w; x++) {
                    dst[o + x] += wt * src[s + x];
                }
            }
        }
        return dst;
    }

    /** Rows resampled together by {@link #alongWidthInBlocks} (its eight sums are written out by hand). */
    private static final int BLOCK = 8;

    /**
     * The rows of {@link #alongWidth} in blocks of {@link #BLOCK}, each block transposed so that every tap reads
     * the block's eight rows from one cache line into eight independent sums, where the row-by-row loop gathers
     * one input per multiply into one chain of dependent adds. Each output's sum takes the same taps in the same order from 0, so the same bits
     * ({@code MatlabBicubicTest.resizeIsThePlainTwoPassSumBitForBit}). Returns the first row left undone.
     */
    private static int alongWidthInBlocks(double[] src, int h, Contributions c, int[] first, int[] end,
                                          float[] floats) {
        int in = c.inSize, outSize = c.outSize;
        double[] t = new double[in * BLOCK];
        int y = 0;
        for (; y + BLOCK <= h; y += BLOCK) {
            for (int b = 0; b < BLOCK; b++) {
                int s = (y + b) * in;
                for (int x = 0; x < in; x++) {
                    t[x * BLOCK + b] = src[s + x];
                }
            }
            for (int j = 0; j < outSize; j++) {
                // eight sums in locals (registers), each the row-by-row loop's sum for its row
                double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
                for (int k = first[j]; k < end[j]; k++) {
                    double wt = c.weight[k];
                    int at = c.index[k] * BLOCK;
                    a0 += wt * t[at];
                    a1 += wt * t[at + 1];
                    a2 += wt * t[at + 2];
                    a3 += wt * t[at + 3];
                    a4 += wt * t[at + 4];
                    a5 += wt * t[at + 5];
                    a6 += wt * t[at + 6];
                    a7 += wt * t[at + 7];
                }
                int o = y * outSize + j;
                floats[o] = (float) a0;
                floats[o + outSize] = (float) a1;
                floats[o + 2 * outSize] = (float) a2;
                floats[o + 3 * outSize] = (float) a3;
                floats[o + 4 * outSize] = (float) a4;
                floats[o + 5 * outSize] = (float) a5;
                floats[o + 6 * outSize] = (float) a6;
                floats[o + 7 * outSize] = (float) a7;
            }
        }
        return y;
    }

    /**
     * Resamples the rows: in x h -> out x h, into {@code out} or, cast once at the end, {@code floats} (the other
     * null). Taps of weight 0 at either end of an output's window are left out: each would add a signed zero to a
     * sum that is never -0, so the sums are the same bits (upscaling reads 6 taps of which about 2 are 0).
     */
    private static double[] alongWidth(double[] src, int h, Contributions c, double[] out, float[] floats) {
        int in = c.inSize;
        int outSize = c.outSize;
        int[] first = new int[outSize], end = new int[outSize];
        for (int j = 0; j < outSize; j++) {
            int base = j * c.taps, a = 0, b = c.taps;
            while (a < b && c.weight[base + a] == 0) {
                a++;
            }
            while (b > a && c.weight[base + b - 1] == 0) {
                b--;
            }
            first[j] = base + a;
            end[j] = base + b;
        }
        int y = 0;
        if (floats != null) {
            y = alongWidthInBlocks(src, h, c, first, end, floats);
        }
        for (; y < h; y++) {
            int s = y * in;
            int o = y * outSize;
            for (int j = 0; j < outSize; j++) {
                double acc = 0;
                for (int k = first[j]; k < end[j]; k++) {
                    acc += c.weight[k] * src[s + c.index[k]];
                }
                if (floats != null) {
                    floats[o + j] = (float) acc;
                } else {
                    out[o + j] = acc;
                }
            }
        }
        return out;
    }
}
