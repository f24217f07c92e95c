package io.shiftsr.serve;

/** Tells an image format from its first bytes; the file name and declared content type are never trusted. */
final class ImageSniffer {
    private ImageSniffer() {}

    /** "png", "jpg", "webp" or "bmp", or null when the bytes start like none of them. */
    static String extension(byte[] b) {
        if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "png";
        }
        if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
            return "jpg";
        }
        if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) {
            return "webp";
        }
        if (startsWith(b, 0, 'B', 'M') && b.length >= 26) {
            return "bmp";
        }
        return null;
    }

    private static boolean startsWith(byte[] b, int offset, int... magic) {
        if (b.length < offset + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[offset + i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
