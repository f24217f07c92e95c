package io.shiftsr.data;

import io.shiftsr.image.Image;
import java.util.SplittableRandom;

/**
 * Sensor-like noise as Real-ESRGAN adds it ({@code basicsr/data/degradations.py}): additive Gaussian, or
 * Poisson (shot) noise of an 8-bit image, each in colour or the same in every channel, clipped to [0, 1].
 */
final class Noise {
    /** Levels of an 8-bit image: Poisson counts are drawn for value * 256 photons. */
    private static final double LEVELS = 256;

    private Noise() {
    }

    /** x + sigma * N(0, 1) (sigma on the 0-1 scale), per channel or one field for all (gray). */
    static Image gaussian(Image x, double sigma, boolean gray, SplittableRandom r) {
        int n = x.width() * x.height();
        float[][] planes = new float[x.channels()][];
        float[] shared = gray ? field(n, () -> (float) (sigma * r.nextGaussian())) : null;
        for (int c = 0; c < planes.length; c++) {
            float[] noise = gray ? shared : field(n, () -> (float) (sigma * r.nextGaussian()));
            planes[c] = add(x.plane(c), noise);
        }
        return Image.of(x.width(), x.height(), planes);
    }

    /**
     * Poisson noise: (Poisson(v * 256) / 256 - v) * scale on the 8-bit-rounded value v of each channel, or of the
     * luma (BT.601) for gray noise.
     */
    static Image poisson(Image x, double scale, boolean gray, SplittableRandom r) {
        int n = x.width() * x.height();
        float[][] planes = new float[x.channels()][];
        float[] shared = null;
        if (gray && x.channels() == 3) {
            float[] luma = new float[n];
            for (int i = 0; i < n; i++) {
                luma[i] = 0.299f * x.plane(0)[i] + 0.587f * x.plane(1)[i] + 0.114f * x.plane(2)[i];
            }
            shared = shotNoise(luma, scale, r);
        }
        for (int c = 0; c < planes.length; c++) {
            float[] noise = shared != null ? shared : shotNoise(x.plane(c), scale, r);
            planes[c] = add(x.plane(c), noise);
        }
        return Image.of(x.width(), x.height(), planes);
    }

    private static float[] shotNoise(float[] v, double scale, SplittableRandom r) {
        float[] noise = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            int level = Math.round(Math.min(1, Math.max(0, v[i])) * 255);
            double q = level / 255.0;
            noise[i] = (float) ((CDF.sample(level, r.nextDouble()) / LEVELS - q) * scale);
        }
        return noise;
    }

    /**
     * Inverse-CDF tables of Poisson(level / 255 * 256) for the 256 levels of an 8-bit value: a draw is one
     * uniform number and a binary search, exact up to the tail beyond mean + 12 sd + 12 (below 1e-30).
     */
    static final class CDF {
        private static final double[][] TABLES = new double[256][];
        /** Per level, GUIDE + 1 starting points: the first k whose CDF exceeds j / GUIDE (a guide table). */
        private static final int GUIDE = 64;
        private static final int[][] STARTS = new int[256][];

        static {
            for (int level = 0; level < 256; level++) {
                double lambda = lambda(level);
                int max = (int) Math.ceil(lambda + 12 * Math.sqrt(lambda) + 12);
                double[] cdf = new double[max + 1];
                double logP = -lambda, sum = 0;
                for (int k = 0; k <= max; k++) {
                    if (k > 0) {
                        logP += Math.log(lambda) - Math.log(k);
                    }
                    sum += lambda == 0 ? (k == 0 ? 1 : 0) : Math.exp(logP);
                    cdf[k] = sum;
                }
                TABLES[level] = cdf;
                int[] starts = new int[GUIDE];
                int k = 0;
                for (int j = 0; j < GUIDE; j++) {
                    while (k < max && cdf[k] <= (double) j / GUIDE) {
                        k++;
                    }
                    starts[j] = k;
                }
                STARTS[level] = starts;
            }
        }

        /** The Poisson mean of an 8-bit level. */
        static double lambda(int level) {
            return level / 255.0 * LEVELS;
        }

        /** The draw for uniform {@code u} in [0, 1) at {@code level}. */
        static int sample(int level, double u) {
            double[] cdf = TABLES[level];
            int k = STARTS[level][(int) (u * GUIDE)];
            while (k < cdf.length - 1 && cdf[k] <= u) {
                k++;
            }
            return k;
        }
    }

    private interface FloatSupplier {
        float get();
    }

    private static float[] field(int n, FloatSupplier s) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = s.get();
        }
        return f;
    }

    private static float[] add(float[] p, float[] noise) {
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = Math.min(1f, Math.max(0f, p[i] + noise[i]));
        }
        return out;
    }
}
