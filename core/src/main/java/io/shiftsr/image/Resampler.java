package io.shiftsr.image;

import java.util.Locale;

/**
 * Separable resizing with the filters other tools use, for the realistic degradations (the "unknown
 * downscaler" of a real photo): PyTorch's {@code interpolate} modes as Real-ESRGAN uses them (area, bilinear
 * and bicubic with a = -0.75, not antialiased, so a shrink aliases as torch's does), and the antialiased
 * filters of photo tools (Pillow-style bilinear, bicubic and Lanczos-3, whose kernel is stretched by the
 * shrink factor). MATLAB's {@code imresize} stays {@link MatlabBicubic}: it is the reference degradation and
 * the baseline, and this class is not used for either.
 *
 * <p>Pixel centres are aligned ({@code align_corners=False}); samples outside the image repeat the edge.
 * Results are not clamped.
 */
public final class Resampler {
    /** A resampling filter: the kernel, its support at scale 1 and whether a shrink stretches it. */
    public enum Filter {
        /**
         * The mean of the input covered by each output pixel's footprint, exactly (torch's {@code mode='area'}
         * rounds the footprint to whole pixels); nearest when growing.
         */
        AREA(0.5, true),
        /** torch {@code mode='bilinear'}: a tent on the two nearest samples, also when shrinking. */
        BILINEAR(1, false),
        /** torch {@code mode='bicubic'}: Keys' cubic with a = -0.75, also when shrinking. */
        BICUBIC(2, false),
        /** Pillow's bilinear: the tent stretched by the shrink factor (antialiased). */
        BILINEAR_AA(1, true),
        /** Pillow's bicubic: a = -0.5, stretched by the shrink factor (antialiased). */
        BICUBIC_AA(2, true),
        /** Lanczos-3, stretched by the shrink factor (Pillow's and most photo tools' "best" shrink). */
        LANCZOS(3, true);

        final double support;
        final boolean antialias;

        Filter(double support, boolean antialias) {
            this.support = support;
            this.antialias = antialias;
        }

        double weight(double x) {
            double a = Math.abs(x);
            return switch (this) {
                case AREA -> throw new IllegalStateException("area weights come from the footprint (areaWeight)");
                case BILINEAR, BILINEAR_AA -> a < 1 ? 1 - a : 0;
                case BICUBIC -> cubic(a, -0.75);
                case BICUBIC_AA -> cubic(a, -0.5);
                case LANCZOS -> a < 1e-9 ? 1 : a < 3 ? 3 * Math.sin(Math.PI * a) * Math.sin(Math.PI * a / 3)
                        / (Math.PI * Math.PI * a * a) : 0;
            };
        }

        /** The config name: lower case with a dash ("bicubic-aa"). */
        public String configName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The filter a config name ("area", "bilinear", "bicubic", "bilinear-aa", "bicubic-aa", "lanczos") names. */
        public static Filter parse(String name) {
            for (Filter f : values()) {
                if (f.configName().equals(name)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("unknown resize filter '" + name
                    + "' (area, bilinear, bicubic, bilinear-aa, bicubic-aa, lanczos)");
        }
    }

    private Resampler() {
    }

    /** Resizes every plane (and alpha) of {@code img} to {@code outW x outH}. */
    public static Image resize(Image img, int outW, int outH, Filter filter) {
        if (outW < 1 || outH < 1) {
            throw new IllegalArgumentException("bad resize target " + outW + "x" + outH);
        }
        Axis ax = axis(img.width(), outW, filter);
        Axis ay = axis(img.height(), outH, filter);
        float[][] planes = new float[img.channels()][];
        for (int c = 0; c < planes.length; c++) {
            planes[c] = resizePlane(img.plane(c), img.width(), img.height(), ax, ay);
        }
        Image out = Image.of(outW, outH, planes);
        if (img.hasAlpha()) {
            out = out.withAlpha(resizePlane(img.alpha(), img.width(), img.height(), ax, ay));
        }
        return out;
    }

    /** One axis' taps: output i reads {@code index[i*taps + k]} with {@code weight[i*taps + k]}. */
    private record Axis(int outSize, int taps, int[] index, float[] weight) {}

    private static Axis axis(int in, int out, Filter f) {
        double ratio = (double) in / out;
        double stretch = f.antialias && ratio > 1 ? ratio : 1;
        double support = f == Filter.AREA && ratio <= 1 ? 0.5 : f.support * stretch;
        int taps = (int) Math.ceil(2 * support) + 2;
        int[] index = new int[out * taps];
        float[] weight = new float[out * taps];
        for (int i = 0; i < out; i++) {
            double centre = (i + 0.5) * ratio - 0.5;
            int first = (int) Math.floor(centre - support) + 1;
            double sum = 0;
            double[] w = new double[taps];
            for (int k = 0; k < taps; k++) {
                w[k] = f == Filter.AREA ? areaWeight(first + k, centre, ratio) : f.weight((first + k - centre) / stretch);
                sum += w[k];
            }
            for (int k = 0; k < taps; k++) {
                index[i * taps + k] = Math.min(in - 1, Math.max(0, first + k));
                weight[i * taps + k] = (float) (sum == 0 ? 0 : w[k] / sum);
            }
        }
        return new Axis(out, taps, index, weight);
    }

    /** Area: how much of input pixel j ([j - 0.5, j + 0.5]) the output's footprint covers (nearest when growing). */
    private static double areaWeight(int j, double centre, double ratio) {
        double half = Math.max(ratio, 1) / 2;
        if (ratio <= 1) {
            return j == (int) Math.floor(centre + 0.5) ? 1 : 0;
        }
        double lo = Math.max(centre - half, j - 0.5);
        double hi = Math.min(centre + half, j + 0.5);
        return Math.max(0, hi - lo);
    }

    private static float[] resizePlane(float[] src, int w, int h, Axis ax, Axis ay) {
        float[] tmp = new float[ax.outSize * h];
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int i = 0; i < ax.outSize; i++) {
                float acc = 0;
                int base = i * ax.taps;
                for (int k = 0; k < ax.taps; k++) {
                    acc += ax.weight[base + k] * src[row + ax.index[base + k]];
                }
                tmp[y * ax.outSize + i] = acc;
            }
        }
        float[] dst = new float[ax.outSize * ay.outSize];
        for (int i = 0; i < ay.outSize; i++) {
            int base = i * ay.taps;
            int out = i * ax.outSize;
            for (int k = 0; k < ay.taps; k++) {
                float wk = ay.weight[base + k];
                if (wk == 0) {
                    continue;
                }
                int row = ay.index[base + k] * ax.outSize;
                for (int x = 0; x < ax.outSize; x++) {
                    dst[out + x] += wk * tmp[row + x];
                }
            }
        }
        return dst;
    }

    private static double cubic(double a, double k) {
        if (a <= 1) {
            return ((k + 2) * a - (k + 3)) * a * a + 1;
        }
        if (a < 2) {
            return ((k * a - 5 * k) * a + 8 * k) * a - 4 * k;
        }
        return 0;
    }
}
