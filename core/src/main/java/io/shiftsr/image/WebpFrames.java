package io.shiftsr.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A WebP file's RIFF chunks, and the check of its frame sizes against its canvas before decoding. Found by
 * fuzzing (docs/RELIABILITY.md): an 86-byte extended WebP declares a 1x1 canvas, which passes the pixel limit,
 * while its VP8 frame declares 11777x13423; the decoder then allocated 3.2 GB and spent 25 s. Every VP8/VP8L
 * frame must fit the canvas (VP8X) or be the image (simple WebP).
 */
final class WebpFrames {
    private WebpFrames() {}

    /** One chunk: its four-character code and where its body lies in the file (len may run past the end). */
    record Chunk(String fourcc, int offset, long length) {}

    /** Whether the file holds a lossy (VP8) bitstream rather than a lossless (VP8L) one. */
    static boolean lossy(byte[] d) {
        for (Chunk c : chunks(d)) {
            if (c.fourcc().equals("VP8 ")) {
                return true;
            }
        }
        return false;
    }

    /** The chunks of a RIFF/WEBP file in order; empty for anything else. */
    static List<Chunk> chunks(byte[] d) {
        List<Chunk> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
        if (d.length < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x50424557) { // "RIFF", "WEBP"
            return out;
        }
        long pos = 12;
        while (pos + 8 <= d.length) {
            String fourcc = new String(d, (int) pos, 4, StandardCharsets.US_ASCII);
            long len = Integer.toUnsignedLong(b.getInt((int) pos + 4));
            out.add(new Chunk(fourcc, (int) pos + 8, len));
            pos += 8 + len + (len & 1); // chunks are padded to even sizes
        }
        return out;
    }

    /** Throws an ImageException naming the mismatch; a file that is not RIFF/WEBP is left to the decoder. */
    static void check(byte[] d, String name, long canvasW, long canvasH) {
        for (Chunk c : chunks(d)) {
            int n = (int) Math.min(c.length(), Math.min(10, d.length - c.offset()));
            ByteBuffer body = ByteBuffer.wrap(d, c.offset(), n).slice().order(ByteOrder.LITTLE_ENDIAN);
            long[] wh = frameSize(c.fourcc(), body);
            if (wh != null && (wh[0] > canvasW || wh[1] > canvasH)) {
                throw new ImageException(name + ": WebP frame " + wh[0] + "x" + wh[1] + " is larger than its "
                        + canvasW + "x" + canvasH + " canvas (corrupt or malicious file)");
            }
        }
    }

    /** Width and height a VP8 (lossy) or VP8L (lossless) frame header declares; null for other chunks. */
    private static long[] frameSize(String fourcc, ByteBuffer b) {
        if (fourcc.equals("VP8 ") && b.limit() >= 10) {
            // 3-byte frame tag, start code 9d 01 2a, then 14-bit width and height (2 scale bits above each).
            return new long[] {b.getShort(6) & 0x3fff, b.getShort(8) & 0x3fff};
        }
        if (fourcc.equals("VP8L") && b.limit() >= 5 && (b.get(0) & 0xff) == 0x2f) {
            int bits = b.getInt(1);
            return new long[] {(bits & 0x3fff) + 1L, ((bits >>> 14) & 0x3fff) + 1L};
        }
        return null;
    }
}
