package io.shiftsr.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * TIFF directories as EXIF and TIFF files hold them. The two things ShiftSR changes in EXIF are patched in
 * place in the TIFF bytes: the orientation (274, IFD0) and the pixel dimensions (40962/40963, Exif IFD). Patching instead of re-encoding keeps everything else byte for
 * byte, maker notes included, whose offsets a rewrite would break. Unreadable EXIF is left as it is.
 */
final class Exif {
    private static final int ORIENTATION = 274, EXIF_IFD = 34665, PIXEL_X = 40962, PIXEL_Y = 40963;
    private static final int SHORT = 3, LONG = 4;

    private Exif() {
    }

    static int orientation(byte[] tiff) {
        try {
            ByteBuffer b = buffer(tiff);
            int e = find(b, b.getInt(4), ORIENTATION);
            int v = e < 0 ? 1 : value(b, e);
            return v >= 1 && v <= 8 ? v : 1;
        } catch (RuntimeException bad) {
            return 1;
        }
    }

    /** A copy with orientation 1 and the given pixel dimensions, where those tags exist. */
    static byte[] upright(byte[] tiff, int width, int height) {
        byte[] out = tiff.clone();
        try {
            ByteBuffer b = buffer(out);
            int ifd0 = b.getInt(4);
            int e = find(b, ifd0, ORIENTATION);
            if (e >= 0) {
                set(b, e, 1);
            }
            int exif = find(b, ifd0, EXIF_IFD);
            if (exif >= 0) {
                int sub = b.getInt(exif + 8);
                int x = find(b, sub, PIXEL_X);
                int y = find(b, sub, PIXEL_Y);
                if (x >= 0) {
                    set(b, x, width);
                }
                if (y >= 0) {
                    set(b, y, height);
                }
            }
        } catch (RuntimeException bad) {
            // leave what cannot be parsed untouched
        }
        return out;
    }

    /**
     * The value bytes of an IFD0 entry of a TIFF structure (a TIFF file's ICC profile, 34675, or XMP, 700), or
     * null when absent or out of bounds.
     */
    static byte[] ifd0Value(byte[] tiff, int tag) {
        try {
            ByteBuffer b = buffer(tiff);
            int ifd = b.getInt(4);
            int n = b.getShort(ifd) & 0xFFFF;
            for (int i = 0; i < n; i++) {
                int e = ifd + 2 + 12 * i;
                if ((b.getShort(e) & 0xFFFF) != tag) {
                    continue;
                }
                int type = b.getShort(e + 2) & 0xFFFF;
                long count = b.getInt(e + 4) & 0xFFFFFFFFL;
                int size = type == 1 || type == 2 || type == 6 || type == 7 ? 1 : type == 3 || type == 8 ? 2 : 4;
                long bytes = count * size;
                if (bytes > tiff.length) {
                    return null;
                }
                int at = bytes <= 4 ? e + 8 : b.getInt(e + 8);
                if (at < 0 || at + bytes > tiff.length) {
                    return null;
                }
                return java.util.Arrays.copyOfRange(tiff, at, (int) (at + bytes));
            }
        } catch (RuntimeException bad) {
            // an unreadable directory: no such tag
        }
        return null;
    }

    private static ByteBuffer buffer(byte[] tiff) {
        ByteBuffer b = ByteBuffer.wrap(tiff);
        if (tiff[0] == 'I' && tiff[1] == 'I') {
            b.order(ByteOrder.LITTLE_ENDIAN);
        } else if (!(tiff[0] == 'M' && tiff[1] == 'M')) {
            throw new IllegalArgumentException("not TIFF");
        }
        return b;
    }

    /** Offset of the 12-byte entry for tag in the IFD at ifd, or -1. */
    private static int find(ByteBuffer b, int ifd, int tag) {
        if (ifd <= 0 || ifd + 2 > b.limit()) {
            return -1;
        }
        int n = b.getShort(ifd) & 0xFFFF;
        for (int i = 0; i < n; i++) {
            int e = ifd + 2 + 12 * i;
            if (e + 12 > b.limit()) {
                return -1;
            }
            if ((b.getShort(e) & 0xFFFF) == tag && b.getInt(e + 4) == 1) {
                return e;
            }
        }
        return -1;
    }

    private static int value(ByteBuffer b, int e) {
        int type = b.getShort(e + 2) & 0xFFFF;
        return type == SHORT ? b.getShort(e + 8) & 0xFFFF : type == LONG ? b.getInt(e + 8) : -1;
    }

    private static void set(ByteBuffer b, int e, int v) {
        int type = b.getShort(e + 2) & 0xFFFF;
        if (type == SHORT && v <= 0xFFFF) {
            b.putShort(e + 8, (short) v);
        } else if (type == LONG) {
            b.putInt(e + 8, v);
        }
    }
}
