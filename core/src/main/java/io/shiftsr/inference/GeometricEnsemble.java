package io.shiftsr.inference;

import io.shiftsr.engine.Tensor;

/**
 * Self-ensemble over the eight flips and transposes of a tile (EDSR's "geometric self-ensemble", Lim et al.
 * 2017, section 4.3): each member runs the network on a transformed tile, transforms the result back, and the
 * members are averaged. The network's errors differ between orientations while the image does not, so the mean
 * is closer to it; the cost is one full sampling run per member. Members in this order: identity, mirror left to
 * right, upside down, both (180 degrees), then the same four of the transposed tile.
 */
public final class GeometricEnsemble {
    // The member counts offered are io.shiftsr.sr.Sampling.ENSEMBLE_SIZES: the sampling value owns its limits.

    private GeometricEnsemble() {
    }

    /** Member {@code k} of an (N, C, H, W) tensor: transposed for k >= 4, then flipped by its low two bits. */
    static Tensor forward(Tensor x, int k) {
        Tensor t = (k & 4) != 0 ? x.permute(0, 1, 3, 2) : x;
        return flip(t, k);
    }

    /** Undoes {@link #forward}: flips are their own inverse, and come off before the transpose. */
    static Tensor inverse(Tensor y, int k) {
        Tensor t = flip(y, k);
        return (k & 4) != 0 ? t.permute(0, 1, 3, 2) : t;
    }

    private static Tensor flip(Tensor x, int k) {
        return switch (k & 3) {
            case 1 -> x.flip(3);
            case 2 -> x.flip(2);
            case 3 -> x.flip(2, 3);
            default -> x;
        };
    }
}
