package io.shiftsr.data;

import io.shiftsr.engine.Scope;
import io.shiftsr.engine.Tensor;
import io.shiftsr.image.Image;
import io.shiftsr.image.MatlabBicubic;
import io.shiftsr.image.Resampler;
import io.shiftsr.sr.DegradationLevel;
import java.util.SplittableRandom;

/**
 * Real-ESRGAN's high-order degradation model (Wang et al. 2021, section 3), for training on inputs like real
 * photos: two stages of blur, random resize, Gaussian or Poisson noise and JPEG, then a final resize to the
 * exact LR size with a sinc filter, the final JPEG before or after it. Every probability and range is a
 * {@link Settings} key with the paper's value as default ({@link Settings#paper()}).
 *
 * <p>Everything random is drawn from the caller's generator, so a batch is a function of (seed, step) as
 * before and a resumed run sees the same data. JPEG is ImageIO's libjpeg-derived encoder (4:2:0, IJG tables),
 * decoded again, not an imitation. Blur runs in libtorch (a depthwise convolution on both cores).
 */
public final class RealDegradation {
    /**
     * One stage of the model.
     *
     * @param apply             probability that this stage's blur, resize and noise run at all (ours; the paper
     *                          runs both stages: 1). The second stage's JPEG is the final one and is drawn
     *                          with its own jpegProb whether or not the rest of the stage runs
     * @param blurProb          probability of the blur (paper: 1 in the first stage, 0.8 in the second)
     * @param kernelSize        odd kernel side drawn uniformly from [min, max] (paper: 7 to 21)
     * @param kernelProb        probabilities of iso, aniso, generalized iso, generalized aniso, plateau iso, plateau
     *                          aniso kernels (paper: 0.45, 0.25, 0.12, 0.03, 0.12, 0.03)
     * @param sincProb          probability that the blur is a sinc kernel instead (paper 0.1)
     * @param blurSigma         Gaussian sigma range in pixels (paper: [0.2, 3] first, [0.2, 1.5] second)
     * @param betaG             exponent range of the generalized Gaussian (paper [0.5, 4])
     * @param betaP             exponent range of the plateau kernel (paper [1, 2])
     * @param resizeProb        probabilities of up, down and keep (paper: [0.2, 0.7, 0.1] first, [0.3, 0.4, 0.3] second)
     * @param resizeRange       factor range, below 1 for down and above 1 for up (paper: [0.15, 1.5] first,
     *                          [0.3, 1.2] second; the second relative to the final LR size)
     * @param resizeFilters     filters the resize draws from ({@link Resampler.Filter} names; paper: area, bilinear,
     *                          bicubic)
     * @param noiseProb         probability of any noise (ours; the paper always adds one: 1)
     * @param gaussianNoiseProb probability that the noise is Gaussian rather than Poisson (paper 0.5)
     * @param noiseSigma        Gaussian sigma range on the 0-255 scale (paper: [1, 30] first, [1, 25] second)
     * @param poissonScale      Poisson noise scale range (paper: [0.05, 3] first, [0.05, 2.5] second)
     * @param grayNoiseProb     probability that the noise is the same in the three channels (paper 0.4)
     * @param jpegProb          probability of the JPEG (ours; the paper always compresses: 1)
     * @param jpegQuality       IJG quality range (paper [30, 95])
     */
    public record Stage(double apply, double blurProb, int[] kernelSize, double[] kernelProb, double sincProb,
            double[] blurSigma, double[] betaG, double[] betaP, double[] resizeProb, double[] resizeRange,
            String[] resizeFilters, double noiseProb, double gaussianNoiseProb, double[] noiseSigma,
            double[] poissonScale, double grayNoiseProb, double jpegProb, double[] jpegQuality) {
        public Stage {
            String where = "degradation stage: ";
            for (double p : new double[] {apply, blurProb, sincProb, noiseProb, gaussianNoiseProb, grayNoiseProb, jpegProb}) {
                if (!(p >= 0 && p <= 1)) {
                    throw new IllegalArgumentException(where + "probabilities must be in [0, 1], got " + p);
                }
            }
            if (kernelSize.length != 2 || kernelSize[0] % 2 == 0 || kernelSize[1] % 2 == 0) {
                throw new IllegalArgumentException(where + "kernelSize must be [min, max], both odd");
            }
            range(where + "kernelSize", kernelSize[0], kernelSize[1], 1, 41);
            weights(where + "kernelProb", kernelProb, 6);
            weights(where + "resizeProb", resizeProb, 3);
            range(where + "blurSigma", blurSigma, 0.01, 20);
            range(where + "betaG", betaG, 0.05, 16);
            range(where + "betaP", betaP, 0.05, 16);
            range(where + "resizeRange", resizeRange, 0.05, 4);
            if (!(resizeRange[0] <= 1 && resizeRange[1] >= 1)) {
                throw new IllegalArgumentException(where + "resizeRange must contain 1 (below: down, above: up)");
            }
            if (resizeFilters.length == 0) {
                throw new IllegalArgumentException(where + "resizeFilters must name at least one filter");
            }
            for (String f : resizeFilters) {
                Resampler.Filter.parse(f);
            }
            range(where + "noiseSigma", noiseSigma, 0, 255);
            range(where + "poissonScale", poissonScale, 0, 100);
            range(where + "jpegQuality", jpegQuality, 1, 100);
        }

        Resampler.Filter filter(SplittableRandom r) {
            return Resampler.Filter.parse(resizeFilters[r.nextInt(resizeFilters.length)]);
        }
    }

    /**
     * @param probability        share of the training crops that are degraded by this model; the rest are the
     *                           clean MATLAB-bicubic LR of before (ours: 1 is the paper, 0 turns it off)
     * @param first              the first stage (at the HR crop's size)
     * @param second             the second stage (its resize relative to the final LR size)
     * @param finalSincProb      probability of the final sinc filter (paper 0.8), kernel side as the second stage's
     * @param finalFilters       filters of the final resize to the exact LR size (paper: area, bilinear, bicubic)
     * @param jpegLastProb       probability that the second stage's JPEG comes after the final resize and sinc,
     *                           so the LR is that JPEG file, as a real photo is (paper 0.5)
     * @param onePassProb        share of the degraded crops that take one pass instead of the two stages (ours;
     *                           paper 0): the first stage's blur at the HR size, one resize straight to the LR size
     *                           by a final filter, the second stage's noise and JPEG on the LR. The photo shrunk
     *                           once and saved once, as most web and phone photos are
     * @param webpProb           share of the compressions that make the file itself (the one pass's, and the second
     *                           stage's when it comes last) that are lossy WebP instead of JPEG (ours; paper 0):
     *                           libwebp through webp-imageio ({@link WebpRoundTrip}); the level is then what upscaling
     *                           gives any lossy WebP file ({@link DegradationLevel#LOSSY_DEFAULT}; telling each
     *                           crop its own quality was tried and lost, MODEL_CARD.md)
     * @param webpQuality        libwebp quality range (0-100) of those WebP compressions
     */
    public record Settings(double probability, Stage first, Stage second, double finalSincProb,
            String[] finalFilters, double jpegLastProb, double onePassProb, double webpProb, double[] webpQuality) {
        public Settings {
            for (double p : new double[] {probability, finalSincProb, jpegLastProb, onePassProb, webpProb}) {
                if (!(p >= 0 && p <= 1)) {
                    throw new IllegalArgumentException("degradation: probabilities must be in [0, 1], got " + p);
                }
            }
            if (webpQuality == null || webpQuality.length != 2 || !(webpQuality[0] >= 0 && webpQuality[0] <= webpQuality[1]
                    && webpQuality[1] <= 100)) {
                throw new IllegalArgumentException("degradation.webpQuality must be [lo, hi] within 0-100, got "
                        + java.util.Arrays.toString(webpQuality));
            }
            if (finalFilters.length == 0) {
                throw new IllegalArgumentException("degradation.finalFilters must name at least one filter");
            }
            for (String f : finalFilters) {
                Resampler.Filter.parse(f);
            }
        }

        /** The paper's values (Real-ESRGAN's train_realesrnet_x4plus options), every crop degraded. */
        public static Settings paper() {
            double[] kernels = {0.45, 0.25, 0.12, 0.03, 0.12, 0.03};
            String[] torch = {"area", "bilinear", "bicubic"};
            Stage first = new Stage(1, 1, new int[] {7, 21}, kernels, 0.1, new double[] {0.2, 3}, new double[] {0.5, 4},
                    new double[] {1, 2}, new double[] {0.2, 0.7, 0.1}, new double[] {0.15, 1.5}, torch, 1, 0.5,
                    new double[] {1, 30}, new double[] {0.05, 3}, 0.4, 1, new double[] {30, 95});
            Stage second = new Stage(1, 0.8, new int[] {7, 21}, kernels, 0.1, new double[] {0.2, 1.5},
                    new double[] {0.5, 4}, new double[] {1, 2}, new double[] {0.3, 0.4, 0.3}, new double[] {0.3, 1.2},
                    torch, 1, 0.5, new double[] {1, 25}, new double[] {0.05, 2.5}, 0.4, 1, new double[] {30, 95});
            return new Settings(1, first, second, 0.8, torch, 0.5, 0, 0, new double[] {50, 95});
        }

        /** The paper's pipeline switched off: every crop clean, as before this model existed. */
        public static Settings off() {
            Settings p = paper();
            return new Settings(0, p.first, p.second, p.finalSincProb, p.finalFilters, p.jpegLastProb, p.onePassProb,
                    p.webpProb, p.webpQuality);
        }
    }

    /**
     * A degraded LR and the conditioning level the model is told: 0 for a clean crop, else
     * {@link DegradationLevel#ofJpegQuality} of the last JPEG applied (q 100 when none was), or the WebP file's
     * {@link DegradationLevel#LOSSY_DEFAULT} (then lastJpegQuality 0).
     */
    public record Result(Image lr, float level, int lastJpegQuality) {}

    private final Settings settings;

    public RealDegradation(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * The LR of {@code hr} at exactly {@code lrW x lrH}, 8-bit: with probability {@link Settings#probability}
     * through the pipeline, else the clean MATLAB-bicubic shrink.
     */
    public Result degrade(Image hr, int lrW, int lrH, SplittableRandom r) {
        if (!(r.nextDouble() < settings.probability())) {
            double scale = (double) lrW / hr.width();
            return new Result(MatlabBicubic.resize(hr, lrW, lrH, scale).quantize8(), 0f, 0);
        }
        if (settings.onePassProb() > 0 && r.nextDouble() < settings.onePassProb()) {
            return onePass(hr, lrW, lrH, r);
        }
        int lastQ = 100;
        Image x = hr;
        Stage s1 = settings.first();
        if (r.nextDouble() < s1.apply()) {
            x = blur(x, s1, r);
            double f = resizeFactor(s1, r);
            Resampler.Filter filter = s1.filter(r);
            x = Resampler.resize(x, Math.max(1, (int) Math.round(x.width() * f)),
                    Math.max(1, (int) Math.round(x.height() * f)), filter);
            x = noise(x, s1, r);
            if (r.nextDouble() < s1.jpegProb()) {
                lastQ = quality(s1, r);
                x = JpegRoundTrip.compress(x, lastQ);
            }
        }
        Stage s2 = settings.second();
        boolean second = r.nextDouble() < s2.apply();
        if (second) {
            x = blur(x, s2, r);
            double f = resizeFactor(s2, r);
            Resampler.Filter filter = s2.filter(r);
            x = Resampler.resize(x, Math.max(1, (int) Math.round(lrW * f)), Math.max(1, (int) Math.round(lrH * f)), filter);
            x = noise(x, s2, r);
        }
        float[] sinc = finalSinc(r);
        Resampler.Filter last = Resampler.Filter.parse(settings.finalFilters()[r.nextInt(settings.finalFilters().length)]);
        boolean jpegLast = r.nextDouble() < settings.jpegLastProb();
        boolean secondJpeg = r.nextDouble() < s2.jpegProb(); // the final JPEG: whether or not the stage ran
        int q2 = quality(s2, r);
        if (!jpegLast && secondJpeg) {
            x = JpegRoundTrip.compress(x, q2);
            lastQ = q2;
        }
        x = convolve(Resampler.resize(x, lrW, lrH, last), sinc);
        if (jpegLast && secondJpeg) {
            return saved(x, q2, r);
        }
        return new Result(x.quantize8(), DegradationLevel.ofJpegQuality(lastQ), lastQ);
    }

    /** {@link Settings#onePassProb}: blur, one resize to the LR size, noise, JPEG. */
    private Result onePass(Image hr, int lrW, int lrH, SplittableRandom r) {
        Stage s1 = settings.first(), s2 = settings.second();
        Image x = blur(hr, s1, r);
        Resampler.Filter filter = Resampler.Filter.parse(settings.finalFilters()[r.nextInt(settings.finalFilters().length)]);
        x = noise(Resampler.resize(x, lrW, lrH, filter), s2, r);
        if (r.nextDouble() < s2.jpegProb()) {
            return saved(x, quality(s2, r), r);
        }
        return new Result(x.quantize8(), DegradationLevel.ofJpegQuality(100), 100);
    }

    /**
     * The LR saved as the file itself: a JPEG of quality {@code jpegQuality}, or with {@link Settings#webpProb} a
     * lossy WebP (a draw only when that share is above 0, so recipes without it see the same crops as before).
     */
    private Result saved(Image x, int jpegQuality, SplittableRandom r) {
        if (settings.webpProb() > 0 && r.nextDouble() < settings.webpProb()) {
            int q = (int) Math.round(BlurKernels.uniform(r, settings.webpQuality()));
            return new Result(WebpRoundTrip.compress(x, q).quantize8(), DegradationLevel.LOSSY_DEFAULT, 0);
        }
        return new Result(JpegRoundTrip.compress(x, jpegQuality).quantize8(), DegradationLevel.ofJpegQuality(jpegQuality),
                jpegQuality);
    }

    private static double resizeFactor(Stage s, SplittableRandom r) {
        return switch (BlurKernels.pick(r, s.resizeProb())) {
            case 0 -> BlurKernels.uniform(r, 1, s.resizeRange()[1]);
            case 1 -> BlurKernels.uniform(r, s.resizeRange()[0], 1);
            default -> 1;
        };
    }

    private static int quality(Stage s, SplittableRandom r) {
        return (int) Math.round(BlurKernels.uniform(r, s.jpegQuality()));
    }

    private static int kernelSide(Stage s, SplittableRandom r) {
        int lo = s.kernelSize()[0] / 2, hi = s.kernelSize()[1] / 2;
        return 2 * (lo + r.nextInt(hi - lo + 1)) + 1;
    }

    private static Image blur(Image x, Stage s, SplittableRandom r) {
        if (!(r.nextDouble() < s.blurProb())) {
            return x;
        }
        int side = kernelSide(s, r);
        float[] k;
        if (r.nextDouble() < s.sincProb()) {
            double omega = side < 13 ? BlurKernels.uniform(r, Math.PI / 3, Math.PI) : BlurKernels.uniform(r, Math.PI / 5, Math.PI);
            k = BlurKernels.sinc(side, omega);
        } else {
            k = BlurKernels.mixed(r, side, s.kernelProb(), s.blurSigma(), s.betaG(), s.betaP());
        }
        return convolve(x, k);
    }

    private float[] finalSinc(SplittableRandom r) {
        if (!(r.nextDouble() < settings.finalSincProb())) {
            return BlurKernels.pulse();
        }
        int side = kernelSide(settings.second(), r);
        return BlurKernels.sinc(side, BlurKernels.uniform(r, Math.PI / 3, Math.PI));
    }

    /** Gaussian or Poisson noise (colour or gray) as Real-ESRGAN adds it, clipped to [0, 1]. */
    private static Image noise(Image x, Stage s, SplittableRandom r) {
        if (!(r.nextDouble() < s.noiseProb())) {
            return x;
        }
        boolean gaussian = r.nextDouble() < s.gaussianNoiseProb();
        double strength = gaussian ? BlurKernels.uniform(r, s.noiseSigma()) / 255.0 : BlurKernels.uniform(r, s.poissonScale());
        boolean gray = r.nextDouble() < s.grayNoiseProb();
        return gaussian ? Noise.gaussian(x, strength, gray, r) : Noise.poisson(x, strength, gray, r);
    }

    /** Convolution with reflected borders (as Real-ESRGAN's filter2D), one kernel for the three channels. */
    static Image convolve(Image x, float[] kernel) {
        int side = BlurKernels.side(kernel);
        if (side == 1) {
            return x;
        }
        int pad = side / 2;
        int w = x.width(), h = x.height(), pw = w + 2 * pad, ph = h + 2 * pad;
        int c = x.channels();
        float[] padded = new float[c * pw * ph];
        for (int ch = 0; ch < c; ch++) {
            float[] p = x.plane(ch);
            for (int i = 0; i < ph; i++) {
                int si = reflect(i - pad, h);
                for (int j = 0; j < pw; j++) {
                    padded[(ch * ph + i) * pw + j] = p[si * w + reflect(j - pad, w)];
                }
            }
        }
        float[] weight = new float[c * kernel.length];
        for (int ch = 0; ch < c; ch++) {
            System.arraycopy(kernel, 0, weight, ch * kernel.length, kernel.length);
        }
        float[] out;
        try (Scope scope = Scope.open()) {
            out = Tensor.of(padded, 1, c, ph, pw).conv2d(Tensor.of(weight, c, 1, side, side), null, 1, 0, c)
                    .toFloatArray();
        }
        float[][] planes = new float[c][];
        for (int ch = 0; ch < c; ch++) {
            planes[ch] = java.util.Arrays.copyOfRange(out, ch * w * h, (ch + 1) * w * h);
        }
        return Image.of(w, h, planes);
    }

    /** Mirror without repeating the edge (numpy/OpenCV "reflect_101", torch's "reflect"). */
    private static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }

    private static void range(String name, double[] r, double lo, double hi) {
        if (r.length != 2) {
            throw new IllegalArgumentException(name + " must be [min, max]");
        }
        range(name, r[0], r[1], lo, hi);
    }

    private static void range(String name, double a, double b, double lo, double hi) {
        if (!(a >= lo && a <= b && b <= hi)) {
            throw new IllegalArgumentException(name + " must be [min, max] with " + lo + " <= min <= max <= " + hi);
        }
    }

    private static void weights(String name, double[] w, int n) {
        double sum = 0;
        for (double v : w) {
            if (!(v >= 0)) {
                throw new IllegalArgumentException(name + " must be non-negative");
            }
            sum += v;
        }
        if (w.length != n || !(sum > 0)) {
            throw new IllegalArgumentException(name + " needs " + n + " non-negative weights, not all 0");
        }
    }
}
