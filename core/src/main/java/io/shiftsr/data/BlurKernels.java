package io.shiftsr.data;

import java.util.SplittableRandom;

/**
 * The blur kernels of Real-ESRGAN's degradation model (Wang et al. 2021, section 3.1; the formulas of its
 * {@code basicsr/data/degradations.py}): isotropic and anisotropic Gaussian, generalized Gaussian, plateau, and
 * the circular sinc (ideal low-pass) that imitates ringing. Kernels are square with an odd side, centred, and
 * sum to 1; {@code k[i * size + j]} is row i, column j.
 */
public final class BlurKernels {
    /** The six shapes of the mixed kernel, in the order of the paper's probability list. */
    public enum Shape { ISO, ANISO, GENERALIZED_ISO, GENERALIZED_ANISO, PLATEAU_ISO, PLATEAU_ANISO }

    private BlurKernels() {
    }

    /**
     * A kernel drawn as Real-ESRGAN's {@code random_mixed_kernels}: a shape by {@code shapeProb}, sigma_x and
     * sigma_y uniform in {@code sigma} (equal for the isotropic shapes), a rotation uniform in [-pi, pi] for the
     * anisotropic ones, and the shape exponent beta below or above 1 with even odds.
     */
    public static float[] mixed(SplittableRandom r, int size, double[] shapeProb, double[] sigma, double[] betaG,
            double[] betaP) {
        Shape shape = Shape.values()[pick(r, shapeProb)];
        boolean iso = shape == Shape.ISO || shape == Shape.GENERALIZED_ISO || shape == Shape.PLATEAU_ISO;
        double sx = uniform(r, sigma);
        double sy = iso ? sx : uniform(r, sigma);
        double theta = iso ? 0 : uniform(r, -Math.PI, Math.PI);
        double beta = switch (shape) {
            case GENERALIZED_ISO, GENERALIZED_ANISO -> splitBeta(r, betaG);
            case PLATEAU_ISO, PLATEAU_ANISO -> splitBeta(r, betaP);
            default -> 1;
        };
        int family = switch (shape) {
            case ISO, ANISO -> 0;
            case GENERALIZED_ISO, GENERALIZED_ANISO -> 1;
            default -> 2;
        };
        return bivariate(size, sx, sy, theta, beta, family);
    }

    /**
     * exp(-d'S^-1 d / 2) (family 0, Gaussian), exp(-(d'S^-1 d)^beta / 2) (1, generalized) or
     * 1 / ((d'S^-1 d)^beta + 1) (2, plateau), with S = R diag(sx^2, sy^2) R' for rotation theta; normalised.
     */
    static float[] bivariate(int size, double sx, double sy, double theta, double beta, int family) {
        double c = Math.cos(theta), s = Math.sin(theta);
        // S^-1 = R diag(1/sx^2, 1/sy^2) R'
        double a = c * c / (sx * sx) + s * s / (sy * sy);
        double b = c * s / (sx * sx) - c * s / (sy * sy);
        double d = s * s / (sx * sx) + c * c / (sy * sy);
        int half = size / 2;
        double[] k = new double[size * size];
        double sum = 0;
        for (int i = 0; i < size; i++) {
            double y = i - half;
            for (int j = 0; j < size; j++) {
                double x = j - half;
                double q = a * x * x + 2 * b * x * y + d * y * y;
                double v = switch (family) {
                    case 0 -> Math.exp(-0.5 * q);
                    case 1 -> Math.exp(-0.5 * Math.pow(q, beta));
                    default -> 1 / (Math.pow(q, beta) + 1);
                };
                k[i * size + j] = v;
                sum += v;
            }
        }
        return normalised(k, sum);
    }

    /** The 2-D circular low-pass (sinc) kernel of cutoff {@code omega} (radians per pixel). */
    public static float[] sinc(int size, double omega) {
        int half = size / 2;
        double[] k = new double[size * size];
        double sum = 0;
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                double rad = Math.hypot(i - half, j - half);
                double v = rad == 0 ? omega * omega / (4 * Math.PI) : omega * besselJ1(omega * rad) / (2 * Math.PI * rad);
                k[i * size + j] = v;
                sum += v;
            }
        }
        return normalised(k, sum);
    }

    /** A 1x1 kernel of 1: no filtering (the final sinc's "pulse" when it is skipped). */
    public static float[] pulse() {
        return new float[] {1f};
    }

    /** The side of a kernel (its length is side squared). */
    public static int side(float[] kernel) {
        return (int) Math.round(Math.sqrt(kernel.length));
    }

    /** Bessel function of the first kind, order 1 (rational approximations, |error| below 1e-8). */
    static double besselJ1(double x) {
        double ax = Math.abs(x);
        if (ax < 8.0) {
            double y = x * x;
            double n = x * (72362614232.0 + y * (-7895059235.0 + y * (242396853.1 + y * (-2972611.439
                    + y * (15704.48260 + y * (-30.16036606))))));
            double m = 144725228442.0 + y * (2300535178.0 + y * (18583304.74 + y * (99447.43394
                    + y * (376.9991397 + y))));
            return n / m;
        }
        double z = 8.0 / ax;
        double y = z * z;
        double xx = ax - 2.356194491;
        double p = 1.0 + y * (0.183105e-2 + y * (-0.3516396496e-4 + y * (0.2457520174e-5 + y * (-0.240337019e-6))));
        double q = 0.04687499995 + y * (-0.2002690873e-3 + y * (0.8449199096e-5 + y * (-0.88228987e-6
                + y * 0.105787412e-6)));
        double v = Math.sqrt(0.636619772 / ax) * (Math.cos(xx) * p - z * Math.sin(xx) * q);
        return x < 0 ? -v : v;
    }

    static int pick(SplittableRandom r, double[] probabilities) {
        double total = 0;
        for (double p : probabilities) {
            total += p;
        }
        double u = r.nextDouble() * total;
        for (int i = 0; i < probabilities.length; i++) {
            u -= probabilities[i];
            if (u < 0) {
                return i;
            }
        }
        return probabilities.length - 1;
    }

    static double uniform(SplittableRandom r, double[] range) {
        return uniform(r, range[0], range[1]);
    }

    static double uniform(SplittableRandom r, double lo, double hi) {
        return lo == hi ? lo : lo + (hi - lo) * r.nextDouble();
    }

    /** Beta below 1 or above 1 with even odds, as Real-ESRGAN draws it. */
    private static double splitBeta(SplittableRandom r, double[] range) {
        return r.nextDouble() < 0.5 ? uniform(r, range[0], Math.min(1, range[1]))
                : uniform(r, Math.max(1, range[0]), range[1]);
    }

    private static float[] normalised(double[] k, double sum) {
        float[] out = new float[k.length];
        for (int i = 0; i < k.length; i++) {
            out[i] = (float) (k[i] / sum);
        }
        return out;
    }
}
