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
            if (scale > Math.min(hr.width(), hr.height())) { // before (int): 3e9 is not "the scale 2147483647"
                throw new IllegalArgumentException(hr.width() + "x" + hr.height() + " image is smaller than the scale "
                        + scaleText(scale));
            }
            src = modCrop(hr, (int) scale);
        }
        return MatlabBicubic.resize(src, 1.0 / scale).quantize8();
    }

    /** A scale as the user wrote it: 3e9 as 3000000000, 2.5 as 2.5 (not 3.0E9, nor a cast's 2147483647). */
    public static String scaleText(double scale) {
        return scale == Math.rint(scale) && Math.abs(scale) < 1e18 ? Long.toString((long) scale)
                : Double.toString(scale);
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
