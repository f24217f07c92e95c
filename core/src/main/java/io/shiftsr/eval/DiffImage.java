package io.shiftsr.eval;

import io.shiftsr.image.Image;

import io.shiftsr.metrics.ColorSpace;

/** Where two images differ: |Y_a - Y_b| as a gray image, amplified so small differences show. */
public final class DiffImage {
    private DiffImage() {}

    /** @param gain multiplier of the absolute luma difference (1 = a difference of 1.0 is white) */
    public static Image of(Image a, Image b, double gain) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new IllegalArgumentException("images differ in size: " + a.width() + "x" + a.height() + " and "
                    + b.width() + "x" + b.height());
        }
        double[] ya = ColorSpace.rgbToY(a), yb = ColorSpace.rgbToY(b);
        float[] d = new float[ya.length];
        for (int i = 0; i < d.length; i++) {
            // Y is on MATLAB's studio range, 219 steps from black to white.
            d[i] = (float) Math.min(1.0, Math.abs(ya[i] - yb[i]) / 219.0 * gain);
        }
        return Image.of(a.width(), a.height(), d, d.clone(), d.clone());
    }
}
