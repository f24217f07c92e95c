package io.shiftsr.image;

/**
 * The quality (0-100, as {@code cwebp -q} takes it) a lossy WebP file was saved at, read from the quantizer indices
 * in its VP8 frame header, as {@link JpegQuality} reads a JPEG's from its tables.
 *
 * <p>The header (RFC 6386, section 9) is boolean-coded; it holds the base quantizer index (0-127) and, when the
 * encoder split the frame into segments, one index per segment. libwebp (the encoder behind cwebp, browsers and
 * most apps) derives the index of each segment from the quality as {@code 127 (1 - c^e)}, with {@code c} =
 * {@code (2q/3)^(1/3)} below q 0.75 and {@code (2q - 1)^(1/3)} above, and {@code e} near 1 spread over the
 * segments by their texture ({@code sns_strength}): the median segment's index is about the quality's own. The
 * estimate inverts that mapping from the median of the segment indices. It is exact to a few points for files from
 * libwebp and the nearest reading for other encoders, which pick their own indices.
 */
public final class WebpQuality {
    private WebpQuality() {
    }

    /**
     * The estimated quality of a WebP file's bytes, or 0 when they hold no readable lossy (VP8) frame header
     * (lossless WebP, another format, a file cut short).
     */
    public static int estimate(byte[] file) {
        for (WebpFrames.Chunk c : WebpFrames.chunks(file)) {
            if (c.fourcc().equals("VP8 ")) {
                double index = quantizerIndex(file, c.offset(), (int) Math.min(c.length(), file.length - c.offset()));
                return index < 0 ? 0 : ofQuantizerIndex(index);
            }
        }
        return 0;
    }

    /**
     * libwebp's quality for a quantizer index: the inverse of its {@code QualityToCompression} and
     * {@code (int) (127 (1 - c))}, taken at the middle of the interval that truncation maps to the index, clamped
     * to [0, 100].
     */
    static int ofQuantizerIndex(double index) {
        double c = Math.max(0, 1 - (index + 0.5) / 127.0);
        double linear = c * c * c;
        double q = linear < 0.5 ? linear * 1.5 : (linear + 1) / 2;
        return (int) Math.round(Math.max(0, Math.min(100, 100 * q)));
    }

    /** The median segment's quantizer index of the key frame at {@code off}, or -1 when it cannot be read. */
    static double quantizerIndex(byte[] d, int off, int len) {
        if (len < 11) {
            return -1;
        }
        int tag = (d[off] & 0xff) | (d[off + 1] & 0xff) << 8 | (d[off + 2] & 0xff) << 16;
        boolean keyFrame = (tag & 1) == 0;
        if (!keyFrame || (d[off + 3] & 0xff) != 0x9d || (d[off + 4] & 0xff) != 0x01 || (d[off + 5] & 0xff) != 0x2a) {
            return -1;
        }
        int first = tag >>> 5; // size of the first partition, which holds the header
        BoolDecoder b = new BoolDecoder(d, off + 10, Math.min(first, len - 10));
        b.literal(2); // colour space, clamping type
        int[] segment = null;
        boolean absolute = false;
        if (b.literal(1) == 1) { // segmentation enabled
            boolean updateMap = b.literal(1) == 1;
            if (b.literal(1) == 1) { // segment feature data
                absolute = b.literal(1) == 1;
                segment = new int[4];
                for (int i = 0; i < 4; i++) {
                    segment[i] = b.signed(7);
                }
                for (int i = 0; i < 4; i++) {
                    b.signed(6); // loop filter levels
                }
            }
            if (updateMap) {
                for (int i = 0; i < 3; i++) {
                    if (b.literal(1) == 1) {
                        b.literal(8); // tree probabilities of the segment map
                    }
                }
            }
        }
        b.literal(1 + 6 + 3); // filter type, loop filter level, sharpness
        if (b.literal(1) == 1 && b.literal(1) == 1) { // loop filter adjustments, updated
            for (int i = 0; i < 8; i++) {
                b.signed(6);
            }
        }
        b.literal(2); // number of DCT partitions
        int base = b.literal(7); // y_ac_qi
        if (b.overrun()) {
            return -1;
        }
        if (segment == null) {
            return base;
        }
        int[] q = new int[4];
        for (int i = 0; i < 4; i++) {
            q[i] = Math.max(0, Math.min(127, absolute ? segment[i] : base + segment[i]));
        }
        java.util.Arrays.sort(q);
        return (q[1] + q[2]) / 2.0;
    }

    /** RFC 6386's boolean entropy decoder (section 7.3), enough for the frame header's flags and literals. */
    private static final class BoolDecoder {
        private final byte[] d;
        private final int end;
        private int pos;
        private int value;
        private int range = 255;
        private int bitCount;
        private int extra; // bytes read past the partition, as zeros

        BoolDecoder(byte[] d, int start, int len) {
            this.d = d;
            this.pos = start;
            this.end = start + Math.max(0, len);
            value = next() << 8 | next();
        }

        private int next() {
            if (pos < end) {
                return d[pos++] & 0xff;
            }
            extra++;
            return 0;
        }

        boolean overrun() {
            return extra > 2;
        }

        int bool(int prob) {
            int split = 1 + (((range - 1) * prob) >> 8);
            int bigSplit = split << 8;
            int bit;
            if (value >= bigSplit) {
                bit = 1;
                range -= split;
                value -= bigSplit;
            } else {
                bit = 0;
                range = split;
            }
            while (range < 128) {
                value <<= 1;
                range <<= 1;
                if (++bitCount == 8) {
                    bitCount = 0;
                    value |= next();
                }
            }
            return bit;
        }

        int literal(int n) {
            int v = 0;
            for (int i = 0; i < n; i++) {
                v = v << 1 | bool(128);
            }
            return v;
        }

        /** A flagged, signed field: 0 when the flag is clear, else n bits of magnitude and a sign bit. */
        int signed(int n) {
            if (literal(1) == 0) {
                return 0;
            }
            int v = literal(n);
            return literal(1) == 1 ? -v : v;
        }
    }
}
