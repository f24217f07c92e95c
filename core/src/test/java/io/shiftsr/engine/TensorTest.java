package io.shiftsr.engine;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void roundTripsValuesAndShape() {
        try (Scope s = Scope.open()) {
            float[] v = {1, 2, 3, 4, 5, 6};
            Tensor t = Tensor.of(v, 2, 3);
            assertArrayEquals(new long[] {2, 3}, t.shape());
            assertArrayEquals(v, t.toFloatArray());
            assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, t.permute(1, 0).toFloatArray());
        }
    }

    @Test
    void knowsItsNumberFormat() {
        try (Scope s = Scope.open()) {
            Tensor t = Tensor.ones(2, 3);
            assertFalse(t.isBf16());
            assertTrue(t.convertInPlace(Precision.BF16).isBf16());
            assertFalse(t.convertInPlace(Precision.FP32).isBf16());
        }
    }

    @Test
    void aConvolutionInputMeetsABf16WeightChannelsLast() {
        // oneDNN's bf16 convolution reads channels-last; a float32 NCHW input (the network's head reads one)
        // is converted to it before the call, not copied again inside it.
        try (Scope s = Scope.open()) {
            Tensor w = Tensor.ones(4, 6, 3, 3).convertInPlace(Precision.BF16);
            Tensor x = Tensor.ones(1, 6, 5, 5);
            org.bytedeco.pytorch.Tensor in = x.like(w);
            Tensor cl = new Tensor(in);
            assertTrue(cl.isBf16());
            assertTrue(cl.channelsLast());
            assertEquals(in.data_ptr().address(), cl.like(w).data_ptr().address(), "already channels-last bf16: no copy");
            assertEquals(54.0, x.conv2d(w, null, 1, 1, 1).toFloatArray()[12], 0.0); // centre: 6 x 3 x 3 ones
        }
    }

    @Test
    void convolutionMatchesHandComputedValue() {
        try (Scope s = Scope.open()) {
            // 1x1x3x3 input, 3x3 kernel of ones, no padding: the sum of the input plus the bias.
            Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
            Tensor w = Tensor.ones(1, 1, 3, 3);
            assertEquals(45.5, x.conv2d(w, Tensor.scalar(0.5), 1, 0, 1).item(), 1e-6);
        }
    }

    @Test
    void backwardGivesAnalyticGradient() {
        try (Scope s = Scope.open()) {
            Tensor w = Tensor.of(new float[] {2f, -3f}, 2).requiresGrad(true);
            // d/dw sum(w^2) = 2w
            w.square().sum().backward();
            assertArrayEquals(new float[] {4f, -6f}, w.grad().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void keptTensorSurvivesItsScope() {
        Tensor kept;
        try (Scope outer = Scope.open()) {
            try (Scope inner = Scope.open()) {
                kept = Tensor.of(new float[] {7f}, 1).mul(2).keep();
            }
            assertEquals(14.0, kept.item(), 0);
        }
    }

    @Test
    void persistentValuesMadeInNestedScopesOutliveThem() {
        // A generator made two scopes deep (a sampling run inside an ensemble member inside a tile) was freed
        // at once when escaping detached it from every open scope: the next draw hit a NULL generator.
        Rng rng;
        Tensor kept;
        try (Scope outer = Scope.open(); Scope inner = Scope.open()) {
            rng = Rng.derive(42, 3);
            kept = Tensor.of(new float[] {7f}, 1).persistent();
            assertEquals(16, rng.randn(16).toFloatArray().length);
        }
        try (Scope s = Scope.open()) {
            assertArrayEquals(Rng.derive(42, 3).randn(16).toFloatArray(),
                    Rng.derive(42, 3).randn(16).toFloatArray());
            assertEquals(16, rng.randn(16).toFloatArray().length);
            assertEquals(7.0, kept.item(), 0);
        }
    }

    @Test
    void derivedRandomStreamsAreReproducible() {
        try (Scope s = Scope.open()) {
            float[] a = Rng.derive(42, 3).randn(16).toFloatArray();
            float[] b = Rng.derive(42, 3).randn(16).toFloatArray();
            float[] c = Rng.derive(42, 4).randn(16).toFloatArray();
            assertArrayEquals(a, b);
            assertFalse(java.util.Arrays.equals(a, c));
        }
    }
}
