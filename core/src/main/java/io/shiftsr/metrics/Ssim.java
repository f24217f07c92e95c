package io.shiftsr.metrics;

import io.shiftsr.image.Image;

/**
 * SSIM as BasicSR / the original MATLAB code compute it (DESIGN.md section 7): on Y in [0, 255] after
 * rounding both images to 8 bits, {@code border} pixels cropped, 11x11 Gaussian window with sigma 1.5,
 * "valid" filtering (no padding), K1 = 0.01, K2 = 0.03, L = 255, mean of the SSIM map; float64 throughout.
 */
public final class Ssim {
    private static final int WINDOW = 11;
    private static final double SIGMA = 1.5;
    private static final double C1 = Math.pow(0.01 * 255, 2);
    private static final double C2 = Math.pow(0.03 * 255, 2);
    private static final double[] KERNEL = gaussian(WINDOW, SIGMA);

    private Ssim() {
    }

    /** SSIM on the Y channel. */
    public static double y(Image sr, Image hr, int border) {
        Metrics.checkSameSize(sr, hr, border);
        int w = sr.width() - 2 * border;
        int h = sr.height() - 2 * border;
        if (w < WINDOW || h < WINDOW) {
            throw new IllegalArgumentException("SSIM needs at least " + WINDOW + "x" + WINDOW
                    + " pixels after the border crop, got " + w + "x" + h);
        }
        double[] a = Metrics.crop(ColorSpace.rgbToY8(sr), sr.width(), sr.height(), border);
        double[] b = Metrics.crop(ColorSpace.rgbToY8(hr), sr.width(), sr.height(), border);
        return ssim(a, b, w, h);
    }

    /** Mean SSIM of two float64 planes in [0, 255]. */
    static double ssim(double[] a, double[] b, int w, int h) {
        int n = a.length;
        double[] aa = new double[n];
        double[] bb = new double[n];
        double[] ab = new double[n];
        for (int i = 0; i < n; i++) {
            aa[i] = a[i] * a[i];
            bb[i] = b[i] * b[i];
            ab[i] = a[i] * b[i];
        }
        double[] mu1 = filterValid(a, w, h);
        double[] mu2 = filterValid(b, w, h);
        double[] s11 = filterValid(aa, w, h);
        double[] s22 = filterValid(bb, w, h);
        double[] s12 = filterValid(ab, w, h);
        double sum = 0;
        for (int i = 0; i < mu1.length; i++) {
            double m1 = mu1[i];
            double m2 = mu2[i];
            double v1 = s11[i] - m1 * m1;
            double v2 = s22[i] - m2 * m2;
            double cov = s12[i] - m1 * m2;
            sum += ((2 * m1 * m2 + C1) * (2 * cov + C2)) / ((m1 * m1 + m2 * m2 + C1) * (v1 + v2 + C2));
        }
        return sum / mu1.length;
    }

    /** Separable Gaussian filter keeping only fully covered positions: (w-10) x (h-10). */
    private static double[] filterValid(double[] p, int w, int h) {
        int ow = w - WINDOW + 1;
        int oh = h - WINDOW + 1;
        double[] rows = new double[ow * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < ow; x++) {
                double s = 0;
                int base = y * w + x;
                for (int k = 0; k < WINDOW; k++) {
                    s += KERNEL[k] * p[base + k];
                }
                rows[y * ow + x] = s;
            }
        }
        double[] out = new double[ow * oh];
        for (int y = 0; y < oh; y++) {
            for (int k = 0; k < WINDOW; k++) {
                double wk = KERNEL[k];
                int src = (y + k) * ow;
                int dst = y * ow;
                for (int x = 0; x < ow; x++) {
                    out[dst + x] += wk * rows[src + x];
                }
            }
        }
        return out;
    }

    /** Normalised 1-D Gaussian, as OpenCV's getGaussianKernel(size, sigma). */
    static double[] gaussian(int size, double sigma) {
        double[] k = new double[size];
        double sum = 0;
        int c = size / 2;
        for (int i = 0; i < size; i++) {
            k[i] = Math.exp(-((i - c) * (i - c)) / (2 * sigma * sigma));
            sum += k[i];
        }
        for (int i = 0; i < size; i++) {
            k[i] /= sum;
        }
        return k;
    }
}
