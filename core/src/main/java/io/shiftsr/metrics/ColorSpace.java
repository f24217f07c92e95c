package io.shiftsr.metrics;

import io.shiftsr.image.Image;

/** Colour conversions used by the evaluation protocol (DESIGN.md section 7). */
public final class ColorSpace {
    private ColorSpace() {
    }

    /** MATLAB rgb2ycbcr's luma weights of R, G and B in [0, 1] (Y in [16, 235]); training's luma loss uses them too. */
    public static final double Y_R = 65.481, Y_G = 128.553, Y_B = 24.966;

    /**
     * Luma as MATLAB's {@code rgb2ycbcr} (BT.601, studio range): Y = 16 + 65.481 R + 128.553 G + 24.966 B
     * with R, G, B in [0, 1]; result in [16, 235] as float64. A gray image counts as R = G = B.
     * The image is used as given; {@link Metrics} quantises to 8 bits first.
     */
    public static double[] rgbToY(Image img) {
        int n = img.width() * img.height();
        double[] y = new double[n];
        if (img.channels() == 1) {
            float[] g = img.plane(0);
            for (int i = 0; i < n; i++) {
                y[i] = 16 + (Y_R + Y_G + Y_B) * g[i];
            }
            return y;
        }
        float[] r = img.plane(0);
        float[] g = img.plane(1);
        float[] b = img.plane(2);
        for (int i = 0; i < n; i++) {
            y[i] = 16 + Y_R * r[i] + Y_G * g[i] + Y_B * b[i];
        }
        return y;
    }

    /** Y of the image after rounding it to 8 bits, computed exactly from the integer levels. */
    static double[] rgbToY8(Image img) {
        int n = img.width() * img.height();
        double[] y = new double[n];
        float[] r = img.plane(0);
        float[] g = img.channels() == 1 ? r : img.plane(1);
        float[] b = img.channels() == 1 ? r : img.plane(2);
        for (int i = 0; i < n; i++) {
            y[i] = 16 + (Y_R * Image.to8(r[i]) + Y_G * Image.to8(g[i]) + Y_B * Image.to8(b[i])) / 255.0;
        }
        return y;
    }
}
