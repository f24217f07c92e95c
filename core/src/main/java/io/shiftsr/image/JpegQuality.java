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
