package io.shiftsr.image;

/**
 * The standard SR degradation (DESIGN.md section 7): crop HR to a multiple of the scale, MATLAB bicubic
 * {@code imresize(hr, 1/s)}, round to 8 bits.
 */
public final class Degradation {
    private Degradation() {
    }

    /** LR from HR at the given scale (> 1 shrinks). Mod-crop happens only for integer scales. */
    public static Image degrade(Image hr, double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be positive, got " + scale);
        }
        Image src = hr;
        if (scale == Math.rint(scale)) {
            src = modCrop(hr, (int) scale);
        }
        return MatlabBicubic.resize(src, 1.0 / scale).quantize8();
    }

    /** Crops the right and bottom so both sides are multiples of {@code scale} (BasicSR's mod_crop). */
    public static Image modCrop(Image img, int scale) {
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be >= 1, got " + scale);
        }
        int w = img.width() - img.width() % scale;
        int h = img.height() - img.height() % scale;
        if (w == img.width() && h == img.height()) {
            return img;
        }
        if (w == 0 || h == 0) {
            throw new IllegalArgumentException(img.width() + "x" + img.height()
                    + " image is smaller than the scale " + scale);
        }
        return img.crop(0, 0, w, h);
    }
}
