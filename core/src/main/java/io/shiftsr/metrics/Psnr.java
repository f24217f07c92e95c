package io.shiftsr.metrics;

import io.shiftsr.image.Image;

/**
 * PSNR as BasicSR computes it (DESIGN.md section 7): both images rounded to 8 bits, {@code border} pixels
 * cropped on every side, 10 log10(255^2 / MSE) in float64. Identical images give +Infinity.
 */
public final class Psnr {
    private Psnr() {
    }

    /** PSNR on the Y channel (MATLAB rgb2ycbcr). */
    public static double y(Image sr, Image hr, int border) {
        Metrics.checkSameSize(sr, hr, border);
        int w = sr.width();
        int h = sr.height();
        return fromMse(mse(Metrics.crop(ColorSpace.rgbToY8(sr), w, h, border),
                Metrics.crop(ColorSpace.rgbToY8(hr), w, h, border)));
    }

    /** PSNR over the R, G and B channels together (gray counts as R = G = B). */
    public static double rgb(Image sr, Image hr, int border) {
        Metrics.checkSameSize(sr, hr, border);
        Image a = sr.toRgb();
        Image b = hr.toRgb();
        int w = sr.width();
        int h = sr.height();
        double sum = 0;
        for (int c = 0; c < 3; c++) {
            sum += mse(Metrics.crop(Metrics.levels(a.plane(c)), w, h, border),
                    Metrics.crop(Metrics.levels(b.plane(c)), w, h, border));
        }
        return fromMse(sum / 3);
    }

    static double mse(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return s / a.length;
    }

    static double fromMse(double mse) {
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }
}
