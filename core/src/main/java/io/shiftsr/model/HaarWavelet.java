package io.shiftsr.model;

import io.shiftsr.engine.Tensor;

/**
 * One-level orthonormal Haar wavelet (DESIGN.md section 6). Filters h_k for the sub-bands LL, LH, HL, HH.
 *
 * <p>The dwt branch "transform, a 1x1 conv W_k on each sub-band k, inverse" is linear and local to 2x2
 * blocks, so it equals one dense stride-2 2x2 conv C -> 4C followed by a pixel shuffle, with weights
 * A[d, (i,j), c, (i',j')] = sum_k h_k[i,j] h_k[i',j'] W_k[d,c]. {@link #foldedWeight} builds A from the
 * per-band weights on every forward pass (it is tiny); the heavy work is then one efficient conv
 * instead of two transforms, two permutations and a grouped conv.
 */
public final class HaarWavelet {
    /** h_k as 2x2 row-major: LL, LH (rows differ), HL (columns differ), HH. */
    static final float[][] FILTERS = {
        {0.5f, 0.5f, 0.5f, 0.5f},
        {0.5f, 0.5f, -0.5f, -0.5f},
        {0.5f, -0.5f, 0.5f, -0.5f},
        {0.5f, -0.5f, -0.5f, 0.5f},
    };
    private final Tensor mixer; // (4 positions (i,j), 4 bands k, 4 positions (i',j')) flattened to (16, 4)

    public HaarWavelet() {
        // mixer[(p, q), k] = h_k[p] h_k[q]
        float[] m = new float[16 * 4];
        for (int p = 0; p < 4; p++) {
            for (int q = 0; q < 4; q++) {
                for (int k = 0; k < 4; k++) {
                    m[(p * 4 + q) * 4 + k] = FILTERS[k][p] * FILTERS[k][q];
                }
            }
        }
        this.mixer = Tensor.of(m, 16, 4).persistent();
    }

    /**
     * @param bandWeights (4, C_out, C_in): the 1x1 conv of each sub-band
     * @return conv weight (C_out * 4, C_in, 2, 2) for a stride-2 conv followed by pixelShuffle(2)
     */
    public Tensor foldedWeight(Tensor bandWeights) {
        long cout = bandWeights.size(1), cin = bandWeights.size(2);
        // (16, 4) @ (4, Cout*Cin) -> (p, q, d, c) -> permute to (d, p, c, q)
        Tensor a = mixer.matmul(bandWeights.reshape(4, cout * cin)).view(4, 4, cout, cin);
        return a.permute(2, 0, 3, 1).reshape(cout * 4, cin, 2, 2);
    }

    /** Applies the per-band 1x1 convs in the wavelet domain and transforms back, as one conv; bias may be null. */
    public Tensor mixBands(Tensor x, Tensor bandWeights, Tensor bias) {
        Tensor y = x.conv2d(foldedWeight(bandWeights), null, 2, 0, 1).pixelShuffle(2);
        return bias == null ? y : y.add(bias);
    }

    /** The plain analysis transform: (B, C, H, W) -> (B, C, 4, H/2, W/2); used in tests and losses. */
    public Tensor forward(Tensor x) {
        long b = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        return x.reshape(b * c, 1, h, w).conv2d(filters(), null, 2, 0, 1).view(b, c, 4, h / 2, w / 2);
    }

    public Tensor inverse(Tensor bands) {
        long b = bands.size(0), c = bands.size(1), h = bands.size(3), w = bands.size(4);
        return bands.reshape(b * c, 4, h, w).convTranspose2d(filters(), null, 2, 0, 1).view(b, c, h * 2, w * 2);
    }

    private static Tensor filters() {
        float[] f = new float[16];
        for (int k = 0; k < 4; k++) {
            System.arraycopy(FILTERS[k], 0, f, k * 4, 4);
        }
        return Tensor.of(f, 4, 1, 2, 2);
    }
}
