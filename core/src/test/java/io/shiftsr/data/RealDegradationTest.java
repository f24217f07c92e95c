package io.shiftsr.data;

import static org.junit.jupiter.api.Assertions.*;

import io.shiftsr.image.Image;
import io.shiftsr.image.ImageReading;
import io.shiftsr.image.MatlabBicubic;
import io.shiftsr.image.Resampler;
import io.shiftsr.metrics.Psnr;
import io.shiftsr.sr.DegradationLevel;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The real-photo degradation model: exact sizes, reproducible, the clean path unchanged, sound parts. */
class RealDegradationTest {
    static final Path FIXTURE = Path.of("core/src/test/resources/io/shiftsr/train/astronaut-crop96.png");

    @Test
    void sameSeedSameLrAndTheSizeIsExactAtEveryScale() {
        Image hr = ImageReading.read(FIXTURE);
        RealDegradation d = new RealDegradation(RealDegradation.Settings.paper());
        for (int lr : new int[] {24, 32, 37, 64, 77, 96}) {
            for (long seed = 0; seed < 6; seed++) {
                RealDegradation.Result a = d.degrade(hr, lr, lr, new SplittableRandom(seed));
                RealDegradation.Result b = d.degrade(hr, lr, lr, new SplittableRandom(seed));
                assertEquals(lr, a.lr().width());
                assertEquals(lr, a.lr().height());
                assertTrue(a.lr().sameContent(b.lr()), "seed " + seed + " at " + lr + " must repeat exactly");
                assertEquals(a.level(), b.level());
                assertTrue(a.level() >= DegradationLevel.MIN_DEGRADED && a.level() <= 1, "level " + a.level());
                for (int c = 0; c < 3; c++) {
                    for (float v : a.lr().plane(c)) {
                        assertTrue(v >= 0 && v <= 1 && Math.abs(v * 255 - Math.round(v * 255)) < 1e-4,
                                "8-bit values in [0, 1], got " + v);
                    }
                }
            }
        }
    }

    @Test
    void theCleanShareIsExactlyTheMatlabBicubicShrinkAtLevelZero() {
        Image hr = ImageReading.read(FIXTURE);
        RealDegradation.Settings p = RealDegradation.Settings.paper();
        RealDegradation clean = new RealDegradation(RealDegradation.Settings.off());
        RealDegradation.Result r = clean.degrade(hr, 24, 24, new SplittableRandom(3));
        assertEquals(0f, r.level());
        assertTrue(r.lr().sameContent(MatlabBicubic.resize(hr, 24, 24, 0.25).quantize8()));
        // And a degraded LR differs from it.
        RealDegradation.Result dr = new RealDegradation(p).degrade(hr, 24, 24, new SplittableRandom(3));
        assertFalse(dr.lr().sameContent(r.lr()));
    }

    @Test
    void theOnePassShareShrinksOnceAndReportsItsJpegQuality() {
        Image hr = ImageReading.read(FIXTURE);
        RealDegradation.Settings p = RealDegradation.Settings.paper();
        RealDegradation.Settings one = new RealDegradation.Settings(1, p.first(), p.second(), p.finalSincProb(),
                p.finalFilters(), p.jpegLastProb(), 1, 0, p.webpQuality());
        RealDegradation d = new RealDegradation(one);
        int jpegs = 0;
        for (long seed = 0; seed < 12; seed++) {
            RealDegradation.Result a = d.degrade(hr, 24, 24, new SplittableRandom(seed));
            assertEquals(24, a.lr().width());
            assertTrue(a.lr().sameContent(d.degrade(hr, 24, 24, new SplittableRandom(seed)).lr()));
            assertTrue(a.lastJpegQuality() >= 30 && a.lastJpegQuality() <= 95, "q " + a.lastJpegQuality());
            assertEquals(DegradationLevel.ofJpegQuality(a.lastJpegQuality()), a.level());
            jpegs++;
        }
        assertEquals(12, jpegs);
    }

    /** The WebP share: the file a lossy WebP made by libwebp, told the level upscaling gives a WebP file. */
    @Test
    void theWebpShareSavesTheFileAsWebpAtTheLossyDefaultLevel() {
        Image hr = ImageReading.read(FIXTURE);
        RealDegradation.Settings p = RealDegradation.Settings.paper();
        RealDegradation webp = new RealDegradation(new RealDegradation.Settings(1, p.first(), p.second(),
                p.finalSincProb(), p.finalFilters(), p.jpegLastProb(), 1, 1, new double[] {40, 90}));
        RealDegradation jpeg = new RealDegradation(new RealDegradation.Settings(1, p.first(), p.second(),
                p.finalSincProb(), p.finalFilters(), p.jpegLastProb(), 1, 0, p.webpQuality()));
        for (long seed = 0; seed < 6; seed++) {
            RealDegradation.Result a = webp.degrade(hr, 32, 32, new SplittableRandom(seed));
            assertTrue(a.lr().sameContent(webp.degrade(hr, 32, 32, new SplittableRandom(seed)).lr()), "reproducible");
            assertEquals(DegradationLevel.LOSSY_DEFAULT, a.level());
            assertEquals(0, a.lastJpegQuality());
            RealDegradation.Result j = jpeg.degrade(hr, 32, 32, new SplittableRandom(seed));
            assertFalse(a.lr().sameContent(j.lr()), "seed " + seed + ": WebP, not the JPEG");
        }
        // a real lossy codec: stronger compression, larger error
        Image x = MatlabBicubic.resize(hr, 64, 64, 64.0 / hr.width());
        double q10 = Psnr.rgb(WebpRoundTrip.compress(x, 10), x, 0), q95 = Psnr.rgb(WebpRoundTrip.compress(x, 95), x, 0);
        assertTrue(q10 < q95 - 10 * Math.log10(2), "more than twice the squared error: " + q10 + " vs " + q95);
        assertTrue(Double.isFinite(q95), "q95 is still lossy");
        var e = assertThrows(IllegalArgumentException.class, () -> new RealDegradation.Settings(1, p.first(),
                p.second(), p.finalSincProb(), p.finalFilters(), p.jpegLastProb(), 1, 0.5, new double[] {90, 40}));
        assertTrue(e.getMessage().contains("webpQuality"), e.getMessage());
    }

    @Test
    void lowerJpegQualityGivesAHigherLevel() {
        assertEquals(1f, DegradationLevel.ofJpegQuality(30));
        assertEquals(1f, DegradationLevel.ofJpegQuality(10));
        assertEquals(5f / 70, DegradationLevel.ofJpegQuality(95), 1e-6);
        assertEquals(DegradationLevel.MIN_DEGRADED, DegradationLevel.ofJpegQuality(100));
        assertTrue(DegradationLevel.ofJpegQuality(50) > DegradationLevel.ofJpegQuality(75));
    }

    @Test
    void kernelsAreNormalisedCentredAndShaped() {
        SplittableRandom r = new SplittableRandom(1);
        RealDegradation.Settings p = RealDegradation.Settings.paper();
        for (int i = 0; i < 50; i++) {
            float[] k = BlurKernels.mixed(r, 21, p.first().kernelProb(), p.first().blurSigma(), p.first().betaG(),
                    p.first().betaP());
            double sum = 0;
            for (float v : k) {
                sum += v;
            }
            assertEquals(1, sum, 1e-4);
            int centre = 10 * 21 + 10;
            for (float v : k) {
                assertTrue(v <= k[centre] + 1e-7, "the centre is the peak");
            }
            assertEquals(k[centre - 3], k[centre + 3], 1e-6, "point symmetric");
        }
        // Isotropic Gaussian sigma 2: neighbours fall off as exp(-1/8)
        float[] g = BlurKernels.bivariate(7, 2, 2, 0, 1, 0);
        assertEquals(Math.exp(-1.0 / 8), g[3 * 7 + 4] / g[3 * 7 + 3], 1e-5);
        // A 45-degree anisotropic kernel is wider along the diagonal than across it.
        float[] a = BlurKernels.bivariate(9, 3, 0.5, Math.PI / 4, 1, 0);
        assertTrue(a[5 * 9 + 5] > a[5 * 9 + 3], "along (1,1) more than along (1,-1)");
        // The sinc kernel rings: negative lobes.
        float[] s = BlurKernels.sinc(21, Math.PI / 4);
        float min = Float.MAX_VALUE;
        for (float v : s) {
            min = Math.min(min, v);
        }
        assertTrue(min < 0, "a low-pass sinc has negative side lobes");
        // Bessel J1 at known points (Abramowitz and Stegun table 9.1).
        assertEquals(0.4400505857, BlurKernels.besselJ1(1), 1e-7);
        assertEquals(0.0434727462, BlurKernels.besselJ1(10), 1e-7);
        assertEquals(-0.5767248078, BlurKernels.besselJ1(-2), 1e-7);
    }

    @Test
    void poissonDrawsHaveMeanAndVarianceLambda() {
        SplittableRandom r = new SplittableRandom(5);
        for (int level : new int[] {1, 12, 45, 229}) { // means 1.0, 12.0, 45.2, 229.9: the tables' small and large cases
            double lambda = Noise.CDF.lambda(level);
            int n = 40000;
            double sum = 0, sq = 0;
            for (int i = 0; i < n; i++) {
                long k = Noise.CDF.sample(level, r.nextDouble());
                assertTrue(k >= 0);
                sum += k;
                sq += (double) k * k;
            }
            double mean = sum / n, var = sq / n - mean * mean;
            assertEquals(lambda, mean, 4 * Math.sqrt(lambda / n) + 1e-9, "mean at " + lambda);
            assertEquals(lambda, var, 0.05 * lambda + 0.05, "variance at " + lambda);
        }
    }

    @Test
    void resamplerFiltersBehaveAsTheirDefinitions() {
        float[] p = new float[16];
        for (int i = 0; i < 16; i++) {
            p[i] = i;
        }
        Image img = Image.of(4, 4, p.clone(), p.clone(), p.clone());
        // Area at 1/2: the mean of each 2x2 block.
        Image half = Resampler.resize(img, 2, 2, Resampler.Filter.AREA);
        assertEquals((0 + 1 + 4 + 5) / 4f, half.plane(0)[0], 1e-5);
        assertEquals((10 + 11 + 14 + 15) / 4f, half.plane(0)[3], 1e-5);
        // torch bilinear at 1/2 without antialiasing: also the 2x2 mean (sample centres fall between pixels).
        assertEquals((0 + 1 + 4 + 5) / 4f, Resampler.resize(img, 2, 2, Resampler.Filter.BILINEAR).plane(0)[0], 1e-5);
        // Every filter keeps a constant image constant and a linear ramp's mean.
        Image flat = Image.of(9, 7, filled(63, 0.3f), filled(63, 0.3f), filled(63, 0.3f));
        for (Resampler.Filter f : Resampler.Filter.values()) {
            for (int[] size : new int[][] {{4, 3}, {20, 15}, {9, 7}}) {
                Image out = Resampler.resize(flat, size[0], size[1], f);
                for (float v : out.plane(1)) {
                    assertEquals(0.3f, v, 1e-5, f + " " + size[0]);
                }
            }
            assertEquals(f, Resampler.Filter.parse(f.configName()));
        }
        assertThrows(IllegalArgumentException.class, () -> Resampler.Filter.parse("nearest"));
    }

    @Test
    void badSettingsAreRefusedWithTheKeyNamed() {
        RealDegradation.Stage s = RealDegradation.Settings.paper().first();
        var e = assertThrows(IllegalArgumentException.class, () -> new RealDegradation.Stage(s.apply(), 1.5,
                s.kernelSize(), s.kernelProb(), s.sincProb(), s.blurSigma(), s.betaG(), s.betaP(), s.resizeProb(),
                s.resizeRange(), s.resizeFilters(), s.noiseProb(), s.gaussianNoiseProb(), s.noiseSigma(),
                s.poissonScale(), s.grayNoiseProb(), s.jpegProb(), s.jpegQuality()));
        assertTrue(e.getMessage().contains("[0, 1]"), e.getMessage());
        var k = assertThrows(IllegalArgumentException.class, () -> new RealDegradation.Stage(s.apply(), 1,
                new int[] {8, 21}, s.kernelProb(), s.sincProb(), s.blurSigma(), s.betaG(), s.betaP(), s.resizeProb(),
                s.resizeRange(), s.resizeFilters(), s.noiseProb(), s.gaussianNoiseProb(), s.noiseSigma(),
                s.poissonScale(), s.grayNoiseProb(), s.jpegProb(), s.jpegQuality()));
        assertTrue(k.getMessage().contains("kernelSize"), k.getMessage());
    }

    @Test
    void timing() {
        Image hr = ImageReading.read(Path.of("samples/astronaut-lr.png"));
        Image crop = MatlabBicubic.resize(hr, 192, 192, 1.5);
        RealDegradation d = new RealDegradation(RealDegradation.Settings.paper());
        for (int i = 0; i < 20; i++) {
            d.degrade(crop, 48, 48, new SplittableRandom(i));
        }
        long t0 = System.nanoTime();
        int n = 80;
        for (int i = 0; i < n; i++) {
            d.degrade(crop, 48, 48, new SplittableRandom(100 + i));
        }
        System.out.printf("degradation of a 192-px crop to 48 px: %.2f ms%n", (System.nanoTime() - t0) / 1e6 / n);
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
