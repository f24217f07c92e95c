package io.shiftsr.image;

/**
 * EXIF orientation (TIFF tag 274): values 1..8 say how the stored pixels must be flipped/rotated to be
 * shown upright. Cameras store JPEGs sideways and set this tag instead of rotating the pixels.
 */
final class Orientation {
    private Orientation() {
    }

    /** Returns the image turned upright for the given EXIF orientation (1 or unknown = as is). */
    static Image apply(Image img, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return img;
        }
        int w = img.width();
        int h = img.height();
        boolean swap = orientation >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        int[] map = new int[ow * oh]; // output pixel -> source pixel
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }           // mirror horizontal
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }   // rotate 180
                    case 4 -> { sx = x; sy = h - 1 - y; }           // mirror vertical
                    case 5 -> { sx = y; sy = x; }                   // transpose
                    case 6 -> { sx = y; sy = h - 1 - x; }           // rotate 90 clockwise
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }   // transverse
                    default -> { sx = w - 1 - y; sy = x; }          // 8: rotate 90 counter-clockwise
                }
                map[y * ow + x] = sy * w + sx;
            }
        }
        float[][] planes = new float[img.channels()][];
        for (int c = 0; c < planes.length; c++) {
            planes[c] = remap(img.plane(c), map);
        }
        float[] alpha = img.hasAlpha() ? remap(img.alpha(), map) : null;
        return Image.of(ow, oh, planes, alpha, img.sourceBitDepth()).withMetadata(img.metadata());
    }

    private static float[] remap(float[] src, int[] map) {
        float[] out = new float[map.length];
        for (int i = 0; i < map.length; i++) {
            out[i] = src[map[i]];
        }
        return out;
    }
}
