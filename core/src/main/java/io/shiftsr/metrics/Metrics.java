package io.shiftsr.metrics;

import io.shiftsr.image.Image;

/** Shared plumbing of the metrics: size checks and border cropping of float64 planes. */
final class Metrics {
    private Metrics() {
    }

    static void checkSameSize(Image sr, Image hr, int border) {
        if (sr.width() != hr.width() || sr.height() != hr.height()) {
            throw new IllegalArgumentException("size mismatch: SR " + sr.width() + "x" + sr.height()
                    + " vs HR " + hr.width() + "x" + hr.height());
        }
        if (border < 0 || 2 * border >= sr.width() || 2 * border >= sr.height()) {
            throw new IllegalArgumentException("border " + border + " leaves nothing of a "
                    + sr.width() + "x" + sr.height() + " image");
        }
    }

    /** The inner (w - 2b) x (h - 2b) part of a row-major plane. */
    static double[] crop(double[] p, int w, int h, int b) {
        if (b == 0) {
            return p;
        }
        int cw = w - 2 * b;
        int ch = h - 2 * b;
        double[] out = new double[cw * ch];
        for (int y = 0; y < ch; y++) {
            System.arraycopy(p, (y + b) * w + b, out, y * cw, cw);
        }
        return out;
    }

    /** 8-bit levels (0..255) of a plane, as float64. */
    static double[] levels(float[] p) {
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = Image.to8(p[i]);
        }
        return out;
    }
}
