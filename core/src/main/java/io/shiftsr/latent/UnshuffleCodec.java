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

    /**
     * pixel_unshuffle's values (channel c * 16 + 4 * i + j of latent pixel (y, x) is image pixel (4y + i, 4x + j)
     * of channel c), stored channels-last: the one copy that rearranges the image writes the layout oneDNN's
     * bf16 convolutions read, so the network's first conv does not transpose its input again (PERFORMANCE.md,
     * session 17).
     */
    @Override
    public Tensor encode(Tensor image) {
        long b = image.size(0), h = image.size(2) / FACTOR, w = image.size(3) / FACTOR;
        return image.view(b, 3, h, FACTOR, w, FACTOR).permute(0, 2, 4, 1, 3, 5).contiguous()
                .view(b, h, w, 3L * FACTOR * FACTOR).permute(0, 3, 1, 2);
    }

    /** pixel_shuffle, the inverse of {@link #encode}, for a latent in either layout; the image is contiguous. */
    @Override
    public Tensor decode(Tensor latent) {
        long b = latent.size(0), h = latent.size(2), w = latent.size(3);
        return latent.permute(0, 2, 3, 1).reshape(b, h, w, 3, FACTOR, FACTOR).permute(0, 3, 1, 4, 2, 5)
                .reshape(b, 3, h * FACTOR, w * FACTOR);
    }
}
