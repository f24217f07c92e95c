package io.shiftsr.latent;

import io.shiftsr.engine.Tensor;

/**
 * Maps output-size images (B, 3, H, W) in [-1, 1] to the latent the network runs in and back
 * (DESIGN.md section 5). The default is lossless pixel-unshuffle; a learned autoencoder can implement
 * this interface later.
 */
public interface LatentCodec {
    /** Name stored in model files. */
    String name();

    /** Spatial reduction: H and W must be multiples of it. */
    int factor();

    /** Latent channels for 3-channel images. */
    int channels();

    Tensor encode(Tensor image);

    Tensor decode(Tensor latent);

    static LatentCodec byName(String name) {
        if (UnshuffleCodec.NAME.equals(name)) {
            return new UnshuffleCodec();
        }
        throw new IllegalArgumentException("unknown latent codec '" + name + "' (known: " + UnshuffleCodec.NAME + ")");
    }
}
