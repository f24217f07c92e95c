package io.shiftsr.inference;

import io.shiftsr.sr.Sampling;
import static org.junit.jupiter.api.Assertions.*;

import io.shiftsr.diffusion.Schedule;
import io.shiftsr.engine.Engine;
import io.shiftsr.engine.Rng;
import io.shiftsr.engine.Tensor;
import io.shiftsr.image.Image;
import io.shiftsr.image.TestImages;
import io.shiftsr.image.MatlabBicubic;
import io.shiftsr.latent.LatentCodec;
import io.shiftsr.latent.UnshuffleCodec;
import io.shiftsr.model.SrNetwork;
import io.shiftsr.model.ModelConfig;
import io.shiftsr.sr.ShiftSrModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

public class DiffusionUpscalerTest {

    /** A random model whose zero-initialised layers are perturbed, so its output is not just y0. */
    public static ShiftSrModel randomModel(ModelConfig cfg) {
        SrNetwork net = new SrNetwork(cfg, 11);
        try (Engine.GradGuard g = Engine.gradDisabled()) {
            net.namedParameters().forEach((name, p) -> {
                if (name.startsWith("tail") || name.contains("fuse") || name.contains(".time.")) {
                    p.copyFrom(new Rng(name.hashCode()).randn(p.shape()).mul(0.05));
                }
            });
        }
        return new ShiftSrModel(net, Schedule.resShift(), new UnshuffleCodec());
    }

    /** {@link #randomModel} of {@link #TINY} saved as a model file at {@code file} (float32): what CLI tests run. */
    public static java.nio.file.Path saveTinyModel(java.nio.file.Path file) {
        return saveTinyModel(file, TINY);
    }

    /** {@link #randomModel} of {@code cfg} saved as a model file at {@code file} (float32). */
    public static java.nio.file.Path saveTinyModel(java.nio.file.Path file, ModelConfig cfg) {
        io.shiftsr.sr.ModelFiles.save(randomModel(cfg), file, io.shiftsr.weights.DType.F32);
        return file;
    }

    static Image noiseImage(int w, int h, long seed) {
        return TestImages.noise(w, h, seed);
    }

    public static final ModelConfig TINY = new ModelConfig(48, 8, new int[] {1, 2}, new int[] {1, 1}, new int[] {1}, 16,
            true, true, true);
    /** {@link #TINY} told the degradation level and the scale, as the real-photo model is. */
    public static final ModelConfig TINY_AWARE = new ModelConfig(48, 8, new int[] {1, 2}, new int[] {1, 1},
            new int[] {1}, 16, true, true, true, true, true);

    @ParameterizedTest
    @ValueSource(doubles = {1.5, 2, 3, 3.7, 4})
    void everyScaleGivesTheExactOutputSizeForOddInputs(double scale) {
        Image lr = noiseImage(37, 53, 1);
        Image sr = new DiffusionUpscaler(randomModel(TINY), Sampling.deltaDiff(1)).upscale(lr, scale);
        assertEquals(MatlabBicubic.outputSize(37, scale), sr.width());
        assertEquals(MatlabBicubic.outputSize(53, scale), sr.height());
        assertEquals(3, sr.channels());
    }

    @Test
    void grayStaysGray() {
        Image lr = Image.of(20, 12, noiseImage(20, 12, 2).plane(0));
        Image sr = new DiffusionUpscaler(randomModel(TINY), Sampling.deltaDiff(2)).upscale(lr, 4);
        assertEquals(1, sr.channels());
        assertEquals(80, sr.width());
        assertEquals(48, sr.height());
    }

    @Test
    void untrainedModelReturnsBicubic() {
        // Fresh models have a zero tail: x0_hat = y0, so every step returns bicubic exactly.
        ShiftSrModel fresh = new ShiftSrModel(new SrNetwork(TINY, 3), Schedule.resShift(), new UnshuffleCodec());
        Image lr = noiseImage(16, 16, 3);
        Image sr = new DiffusionUpscaler(fresh, Sampling.deltaDiff(4)).upscale(lr, 4);
        Image bicubic = MatlabBicubic.resize(lr, 4);
        for (int c = 0; c < 3; c++) {
            float[] a = sr.plane(c), b = bicubic.plane(c);
            for (int i = 0; i < a.length; i++) {
                assertEquals(Math.min(1f, Math.max(0f, b[i])), a[i], 1e-5f);
            }
        }
    }

    /** Exact case: a spatial-only net with 1 step has a receptive field of 4 latent pixels. */
    @Test
    void tiledEqualsUntiledWhenTheOverlapCoversTheReceptiveField() {
        ModelConfig spatialOnly = new ModelConfig(48, 8, new int[] {1}, new int[] {1}, new int[] {}, 16, true, false, false);
        ShiftSrModel model = randomModel(spatialOnly);
        Image lr = noiseImage(64, 48, 4);
        Image whole = new DiffusionUpscaler(model, Sampling.deltaDiff(1).withTile(64, 0)).upscale(lr, 4);
        Image tiled = new DiffusionUpscaler(model, Sampling.deltaDiff(1).withTile(24, 16)).upscale(lr, 4);
        assertTrue(maxDiff(whole, tiled) < 1e-3, "max diff " + maxDiff(whole, tiled));
        assertTrue(maxDiff(whole, MatlabBicubic.resize(lr, 4)) > 1e-2, "the test model must do something");
    }

    /**
     * The full architecture (DCT blocks, two levels) at 4 DeltaDiff steps has a receptive field wider than the
     * 8-pixel blend margin used here, so equality is not guaranteed; measured: max 2e-5, within 1e-3.
     */
    @Test
    void tiledIsCloseToUntiledForTheFullArchitecture() {
        ShiftSrModel model = randomModel(TINY);
        Image lr = noiseImage(64, 64, 5);
        Image whole = new DiffusionUpscaler(model, Sampling.deltaDiff(4).withTile(64, 0)).upscale(lr, 4);
        Image tiled = new DiffusionUpscaler(model, Sampling.deltaDiff(4).withTile(48, 32)).upscale(lr, 4);
        double max = maxDiff(whole, tiled);
        double mean = meanDiff(whole, tiled);
        System.out.printf("tiled vs untiled, default architecture, 4 steps: max %.5f mean %.6f%n", max, mean);
        assertTrue(max < 1e-3, "max diff " + max);
        assertTrue(maxDiff(whole, MatlabBicubic.resize(lr, 4)) > 1e-2, "the test model must do something");
    }

    /**
     * The latent is channels-last (UnshuffleCodec, session 17); the network's values do not depend on it. In bf16
     * every convolution read channels-last before too, so the output is the same bits; in fp32 the convolutions
     * now run oneDNN's channels-last kernels, which sum in another order: pinned within 1e-5 (measured on the
     * bundled model: a few pixels one 8-bit level apart, PSNR above 106 dB).
     */
    @Test
    void theChannelsLastLatentChangesNoValueBeyondRounding() {
        ModelConfig body = new ModelConfig(48, 16, new int[] {1}, new int[] {3}, new int[] {}, 16, true, false, false);
        SrNetwork net = randomModel(body).net();
        LatentCodec standard = new LatentCodec() { // the layout of pixel_unshuffle itself
            public String name() { return UnshuffleCodec.NAME; }
            public int factor() { return 4; }
            public int channels() { return 48; }
            public Tensor encode(Tensor image) { return image.pixelUnshuffle(4); }
            public Tensor decode(Tensor latent) { return latent.pixelShuffle(4); }
        };
        ShiftSrModel channelsLast = new ShiftSrModel(net, Schedule.resShift(), new UnshuffleCodec());
        ShiftSrModel plain = new ShiftSrModel(net, Schedule.resShift(), standard);
        Image lr = noiseImage(40, 24, 6);
        Image a = new DiffusionUpscaler(channelsLast, Sampling.deltaDiff(2)).upscale(lr, 4);
        Image b = new DiffusionUpscaler(plain, Sampling.deltaDiff(2)).upscale(lr, 4);
        assertTrue(maxDiff(a, b) <= 1e-5, "fp32 max diff " + maxDiff(a, b));
        assertTrue(maxDiff(a, MatlabBicubic.resize(lr, 4)) > 1e-2, "the test model must do something");
        channelsLast.toPrecision(io.shiftsr.engine.Precision.BF16); // the network both models share
        a = new DiffusionUpscaler(channelsLast, Sampling.deltaDiff(2)).upscale(lr, 4);
        b = new DiffusionUpscaler(plain, Sampling.deltaDiff(2)).upscale(lr, 4);
        assertEquals(0.0, maxDiff(a, b), "bf16: the same bits");
    }

    static double maxDiff(Image a, Image b) {
        double m = 0;
        for (int c = 0; c < a.channels(); c++) {
            for (int i = 0; i < a.plane(c).length; i++) {
                m = Math.max(m, Math.abs(a.plane(c)[i] - Math.min(1f, Math.max(0f, b.plane(c)[i]))));
            }
        }
        return m;
    }

    static double meanDiff(Image a, Image b) {
        double s = 0;
        int n = 0;
        for (int c = 0; c < a.channels(); c++) {
            for (int i = 0; i < a.plane(c).length; i++, n++) {
                s += Math.abs(a.plane(c)[i] - b.plane(c)[i]);
            }
        }
        return s / n;
    }
}
