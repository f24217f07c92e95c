package io.shiftsr.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Checks the frame sizes inside a WebP file against its canvas before decoding. Found by fuzzing
 * (docs/RELIABILITY.md): an 86-byte extended WebP declares a 1x1 canvas, which passes the pixel limit, while
 * its VP8 frame declares 11777x13423; the decoder then allocated 3.2 GB and spent 25 s. Every VP8/VP8L frame
 * must fit the canvas (VP8X) or be the image (simple WebP).
 */
final class WebpFrames {
    private WebpFrames() {}

    /** Throws an ImageException naming the mismatch; a file that is not RIFF/WEBP is left to the decoder. */
    static void check(Path path, String name, long canvasW, long canvasH) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer head = read(ch, 0, 12);
            if (head == null || head.getInt(0) != 0x46464952 || head.getInt(8) != 0x50424557) { // "RIFF", "WEBP"
                return;
            }
            long pos = 12;
            while (pos + 8 <= size) {
                ByteBuffer chunk = read(ch, pos, 8);
                String fourcc = new String(new byte[] {chunk.get(0), chunk.get(1), chunk.get(2), chunk.get(3)},
                        java.nio.charset.StandardCharsets.US_ASCII);
                long len = Integer.toUnsignedLong(chunk.getInt(4));
                ByteBuffer body = read(ch, pos + 8, (int) Math.min(len, 10));
                if (body != null) {
                    long[] wh = frameSize(fourcc, body);
                    if (wh != null && (wh[0] > canvasW || wh[1] > canvasH)) {
                        throw new ImageException(name + ": WebP frame " + wh[0] + "x" + wh[1] + " is larger than its "
                                + canvasW + "x" + canvasH + " canvas (corrupt or malicious file)");
                    }
                }
                pos += 8 + len + (len & 1); // chunks are padded to even sizes
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

    private static ByteBuffer read(FileChannel ch, long pos, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                return null;
            }
        }
        return b.flip();
    }
}
