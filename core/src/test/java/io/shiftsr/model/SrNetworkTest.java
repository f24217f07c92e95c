package io.shiftsr.model;

import static org.junit.jupiter.api.Assertions.*;

import io.shiftsr.engine.Rng;
import io.shiftsr.engine.Scope;
import io.shiftsr.engine.Tensor;
import org.junit.jupiter.api.Test;

class SrNetworkTest {

    @Test
    void defaultNetworkHasAboutOneAndAHalfMillionParametersAndKeepsTheShape() {
        SrNetwork net = new SrNetwork(ModelConfig.dualDomainUNet(), 1);
        long n = net.parameterCount();
        assertTrue(n > 1_000_000 && n < 2_000_000, "parameters: " + n);
        try (Scope s = Scope.open()) {
            Rng rng = new Rng(0);
            Tensor x = rng.randn(2, 48, 32, 48);
            Tensor out = net.forward(x, rng.randn(2, 48, 32, 48), new float[] {0.25f, 1f}, new float[] {4f, 2f});
            assertArrayEquals(new long[] {2, 48, 32, 48}, out.shape());
        }
    }

    @Test
    void transformsAreOrthonormalAndInvertible() {
        try (Scope s = Scope.open()) {
            Tensor x = new Rng(3).randn(2, 5, 16, 24);
            BlockDct dct = new BlockDct();
            HaarWavelet haar = new HaarWavelet();
            Tensor c = dct.forward(x);
            assertArrayEquals(new long[] {2, 5, 64, 2, 3}, c.shape());
            assertArrayEquals(x.toFloatArray(), dct.inverse(c).toFloatArray(), 1e-5f);
            assertEquals(x.square().sum().item(), c.square().sum().item(), 1e-2); // Parseval
            Tensor w = haar.forward(x);
            assertArrayEquals(new long[] {2, 5, 4, 8, 12}, w.shape());
            assertArrayEquals(x.toFloatArray(), haar.inverse(w).toFloatArray(), 1e-5f);
            assertEquals(x.square().sum().item(), w.square().sum().item(), 1e-2);
        }
    }

    @Test
    void foldedWaveletBranchEqualsTransformMixInverse() {
        try (Scope s = Scope.open()) {
            Rng rng = new Rng(5);
            int c = 6;
            Tensor x = rng.randn(2, c, 8, 10);
            Tensor w = rng.randn(4, c, c);
            Tensor bias = rng.randn(1, c, 1, 1);
            HaarWavelet haar = new HaarWavelet();
            // Reference: transform, a 1x1 conv per sub-band, inverse.
            Tensor bands = haar.forward(x); // (B, C, 4, h, w)
            Tensor[] mixed = new Tensor[4];
            for (int k = 0; k < 4; k++) {
                Tensor band = bands.narrow(2, k, 1).reshape(2, c, 4, 5);
                Tensor wk = w.narrow(0, k, 1).reshape(c, c, 1, 1);
                mixed[k] = band.conv2d(wk, null, 1, 0, 1).unsqueeze(2);
            }
            Tensor expected = haar.inverse(Tensor.cat(2, mixed)).add(bias);
            assertArrayEquals(expected.toFloatArray(), haar.mixBands(x, w, bias).toFloatArray(), 1e-4f);
        }
    }

    @Test
    void foldedBlockEqualsConcatThenFuse() {
        ModelConfig cfg = new ModelConfig(48, 16, new int[] {1}, new int[] {1}, new int[] {}, 32, true, true, true);
        try (Scope s = Scope.open()) {
            Rng rng = new Rng(9);
            DualDomainBlock block = new DualDomainBlock(rng, 16, 32, cfg, new BlockDct(), new HaarWavelet());
            // Give the zero-initialised fuse and time layers values, so every term matters.
            block.namedParameters().forEach((name, p) -> p.detach().copyFrom(new Rng(name.hashCode()).randn(p.shape()).mul(0.2)));
            Tensor x = rng.randn(2, 16, 16, 24);
            Tensor temb = rng.randn(2, 32);
            float[] folded = block.forward(x, temb).toFloatArray();
            float[] reference = block.forwardUnfolded(x, temb).toFloatArray();
            assertArrayEquals(reference, folded, 1e-4f);
        }
    }

    @Test
    void oneLevelIsAResidualBodyAtFullLatentResolutionOfTheSameCost() {
        // The backbone study's winner (models/MODEL_CARD.md; the shipped model doubled it to 12): 6 spatial blocks
        // of width 64, no down/upsampling, costs what the seed's two-level UNet costs per latent pixel, within 1%.
        ModelConfig body = new ModelConfig(48, 64, new int[] {1}, new int[] {6}, new int[] {}, 128, true, false, false,
                true);
        SrNetwork net = new SrNetwork(body, 1), seed = new SrNetwork(ModelConfig.dualDomainUNet(), 1);
        assertEquals(seed.macsPerLatentPixel(), net.macsPerLatentPixel(), 0.01 * seed.macsPerLatentPixel());
        assertEquals(1, body.sizeMultiple(), "any latent size: one level, no block transform, no 2x2 downsampling");
        try (Scope s = Scope.open()) {
            Rng rng = new Rng(0);
            Tensor x = rng.randn(2, 48, 24, 40);
            Tensor out = net.forward(x, rng.randn(2, 48, 24, 40), new float[] {0.25f, 1f}, new float[] {4f, 1.5f});
            assertArrayEquals(new long[] {2, 48, 24, 40}, out.shape());
            assertEquals(0.0, out.abs().sum().item(), 0.0, "a fresh net predicts no residual (bicubic)");
        }
    }

    @Test
    void gradientsReachEveryParameterAfterOneUpdateOfTheZeroLayers() {
        // Zero-initialised tail and fuse layers block gradients at first; a nonzero tail must let them through.
        ModelConfig cfg = new ModelConfig(48, 16, new int[] {1, 2}, new int[] {1, 1}, new int[] {1}, 32, true, true, true,
                true);
        SrNetwork net = new SrNetwork(cfg, 2);
        try (Scope s = Scope.open()) {
            net.namedParameters().forEach((name, p) -> {
                if (name.endsWith("weight") && (name.startsWith("tail") || name.contains("fuse") || name.contains("time.weight"))) {
                    p.detach().copyFrom(new Rng(name.hashCode()).randn(p.shape()).mul(0.1));
                }
            });
            Rng rng = new Rng(0);
            Tensor out = net.forward(rng.randn(1, 48, 16, 16), rng.randn(1, 48, 16, 16), new float[] {0.5f},
                    new float[] {3f});
            out.square().mean().backward();
            net.namedParameters().forEach((name, p) -> {
                Tensor g = p.grad();
                assertNotNull(g, "no gradient for " + name);
                assertTrue(g.abs().sum().item() > 0, "zero gradient for " + name);
            });
        }
    }

    @Test
    void theScaleEmbeddingStartsNeutralSoATrainedNetCanBeFineTunedWithIt() {
        ModelConfig plain = new ModelConfig(48, 16, new int[] {1, 2}, new int[] {1, 1}, new int[] {1}, 32, true, true, true);
        ModelConfig told = new ModelConfig(48, 16, new int[] {1, 2}, new int[] {1, 1}, new int[] {1}, 32, true, true, true,
                true);
        SrNetwork a = new SrNetwork(plain, 4);
        SrNetwork b = new SrNetwork(told, 5);
        try (Scope s = Scope.open()) {
            // Nonzero tail, so the outputs are not trivially zero; then b takes every weight a has.
            a.namedParameters().forEach((name, p) -> p.detach().copyFrom(new Rng(name.hashCode()).randn(p.shape()).mul(0.1)));
            a.namedParameters().forEach((name, p) -> b.namedParameters().get(name).detach().copyFrom(p.detach()));
            Rng rng = new Rng(1);
            Tensor x = rng.randn(2, 48, 16, 16), y = rng.randn(2, 48, 16, 16);
            float[] time = {0.5f, 0.25f};
            float[] expected = a.forward(x, y, time, null).toFloatArray();
            assertArrayEquals(expected, b.forward(x, y, time, new float[] {2f, 4f}).toFloatArray(), 1e-6f);
            b.namedParameters().get("time.scale_fc.weight").detach().copyFrom(rng.randn(32, 32).mul(0.1));
            float[] at2 = b.forward(x, y, time, new float[] {2f, 2f}).toFloatArray();
            float[] at4 = b.forward(x, y, time, new float[] {4f, 4f}).toFloatArray();
            double diff = 0;
            for (int i = 0; i < at2.length; i++) {
                diff = Math.max(diff, Math.abs(at2[i] - at4[i]));
            }
            assertTrue(diff > 1e-3, "output does not depend on the scale: " + diff);
            assertThrows(IllegalArgumentException.class, () -> b.forward(x, y, time, null));
        }
    }
}
