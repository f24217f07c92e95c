package io.shiftsr.latent;

import io.shiftsr.engine.Tensor;

/** Pixel-unshuffle by 4: 3 x H x W -> 48 x H/4 x W/4, exact and free (DESIGN.md section 5). */
public final class UnshuffleCodec implements LatentCodec {
    public static final String NAME = "unshuffle4";
    private static final int FACTOR = 4;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int factor() {
        return FACTOR;
    }

    @Override
    public int channels() {
        return 3 * FACTOR * FACTOR;
    }

    @Override
    public Tensor encode(Tensor image) {
        return image.pixelUnshuffle(FACTOR);
    }

    @Override
    public Tensor decode(Tensor latent) {
        return latent.pixelShuffle(FACTOR);
    }
}
