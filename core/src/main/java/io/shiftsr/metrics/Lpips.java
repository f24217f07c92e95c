package io.shiftsr.metrics;

import io.shiftsr.engine.Engine;
import io.shiftsr.engine.Scope;
import io.shiftsr.engine.Tensor;
import io.shiftsr.image.Image;
import io.shiftsr.weights.SafetensorsFile;
import io.shiftsr.weights.SafetensorsReader;
import io.shiftsr.weights.TensorData;
import io.shiftsr.weights.WeightsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LPIPS, VGG variant (Zhang et al. 2018, "The Unreasonable Effectiveness of Deep Features as a Perceptual
 * Metric", version 0.1): VGG16 conv features at relu1_2, relu2_2, relu3_3, relu4_3 and relu5_3 of both images,
 * each unit-normalised over channels, squared difference weighted per channel by a learned 1x1 layer, averaged
 * over space and summed over the five layers. Lower is closer.
 *
 * <p>No weights ship with ShiftSR; the user converts the public ones (README "LPIPS weights"). Tensor names:
 * {@code features.N.weight/bias} with N the index in torchvision's {@code vgg16().features}, and
 * {@code linK.weight} (1, C, 1, 1) for K = 0..4. Channel counts are read from the file, so the tests can use a
 * narrow random network.
 */
public final class Lpips implements AutoCloseable {
    /** Indices of the 13 convolutions in torchvision's vgg16().features, grouped by the 5 LPIPS stages. */
    static final int[][] STAGES = {{0, 2}, {5, 7}, {10, 12, 14}, {17, 19, 21}, {24, 26, 28}};
    /** The LPIPS scaling layer: inputs in [-1, 1] are shifted and scaled to ImageNet statistics. */
    static final float[] SHIFT = {-0.030f, -0.088f, -0.188f};
    static final float[] SCALE = {0.458f, 0.448f, 0.450f};

    private final Map<String, Tensor> weights = new LinkedHashMap<>();

    private Lpips(Map<String, TensorData> data) {
        data.forEach((name, t) -> weights.put(name, Tensor.of(t.values(), t.shape()).persistent()));
    }

    /** Reads and checks an LPIPS-VGG weights file. */
    public static Lpips load(Path file) {
        SafetensorsFile f = SafetensorsReader.read(file);
        return of(f.tensorsByName(), file.toString());
    }

    /** Checks names and shapes: every conv takes the previous conv's channels, each lin layer its stage's. */
    public static Lpips of(Map<String, TensorData> tensors, String source) {
        Map<String, TensorData> used = new LinkedHashMap<>();
        long channels = 3;
        for (int stage = 0; stage < STAGES.length; stage++) {
            for (int index : STAGES[stage]) {
                TensorData w = require(tensors, "features." + index + ".weight", source);
                TensorData b = require(tensors, "features." + index + ".bias", source);
                long[] s = w.shape();
                if (s.length != 4 || s[1] != channels || s[2] != 3 || s[3] != 3 || b.shape().length != 1
                        || b.shape()[0] != s[0]) {
                    throw new WeightsException(source + ": LPIPS conv features." + index + " has shape "
                            + java.util.Arrays.toString(s) + ", expected (C, " + channels + ", 3, 3) with a C bias");
                }
                channels = s[0];
                used.put(w.name(), w);
                used.put(b.name(), b);
            }
            TensorData lin = require(tensors, "lin" + stage + ".weight", source);
            long[] s = lin.shape();
            if (s.length != 4 || s[0] != 1 || s[1] != channels || s[2] != 1 || s[3] != 1) {
                throw new WeightsException(source + ": LPIPS lin" + stage + " must be (1, " + channels + ", 1, 1)");
            }
            used.put(lin.name(), lin);
        }
        Engine.init();
        return new Lpips(used);
    }

    private static TensorData require(Map<String, TensorData> tensors, String name, String source) {
        TensorData t = tensors.get(name);
        if (t == null) {
            throw new WeightsException(source + ": not LPIPS-VGG weights (no tensor " + name + ")");
        }
        return t;
    }

    /** The normalised features of one image, to compare one reference with many candidates; close to free. */
    public static final class Features implements AutoCloseable {
        private final List<Tensor> stages;

        private Features(List<Tensor> stages) {
            this.stages = stages;
        }

        @Override
        public void close() {
            stages.forEach(Tensor::release);
        }
    }

    /** Features of an RGB image with values in [0, 1] (the border is not cropped). */
    public Features features(Image rgb) {
        if (rgb.width() < 16 || rgb.height() < 16 || rgb.channels() != 3) {
            throw new IllegalArgumentException("LPIPS needs an RGB image of at least 16x16 (four 2x2 poolings)");
        }
        List<Tensor> out = new ArrayList<>();
        try (Engine.GradGuard g = Engine.gradDisabled(); Scope work = Scope.open()) {
            int w = rgb.width(), h = rgb.height();
            float[] px = new float[3 * w * h];
            for (int c = 0; c < 3; c++) {
                float[] p = rgb.plane(c);
                for (int i = 0; i < w * h; i++) {
                    px[c * w * h + i] = ((p[i] * 2f - 1f) - SHIFT[c]) / SCALE[c];
                }
            }
            Tensor x = Tensor.of(px, 1, 3, h, w);
            for (int stage = 0; stage < STAGES.length; stage++) {
                if (stage > 0) {
                    x = x.maxPool2d(2);
                }
                for (int index : STAGES[stage]) {
                    x = x.conv2d(weights.get("features." + index + ".weight"),
                            weights.get("features." + index + ".bias"), 1, 1, 1).relu();
                }
                // x / (||x|| over channels + 1e-10), as lpips.normalize_tensor
                out.add(x.div(x.square().sumKeep(1).sqrt().add(1e-10)).persistent());
            }
        }
        return new Features(out);
    }

    /** LPIPS distance between an image and precomputed reference features (same size). */
    public double distance(Image rgb, Features reference) {
        try (Features f = features(rgb); Scope s = Scope.open(); Engine.GradGuard g = Engine.gradDisabled()) {
            double total = 0;
            for (int stage = 0; stage < STAGES.length; stage++) {
                Tensor d = f.stages.get(stage).sub(reference.stages.get(stage)).square();
                total += d.conv2d(weights.get("lin" + stage + ".weight"), null, 1, 0, 1).mean().item();
            }
            return total;
        }
    }

    /** LPIPS distance between two RGB images of the same size, values in [0, 1]. */
    public double distance(Image a, Image b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new IllegalArgumentException("LPIPS needs images of the same size");
        }
        try (Features fb = features(b)) {
            return distance(a, fb);
        }
    }

    @Override
    public void close() {
        weights.values().forEach(Tensor::release);
    }
}
