package io.shiftsr.nn;

import io.shiftsr.engine.Rng;
import io.shiftsr.engine.Tensor;

/** Parameter initialisers. */
public final class Init {
    private Init() {}

    /** torch.nn's default for conv and linear layers: U(-1/sqrt(fanIn), 1/sqrt(fanIn)). */
    public static Tensor fanInUniform(Rng rng, long fanIn, long... shape) {
        double bound = 1.0 / Math.sqrt(fanIn);
        return rng.uniform(-bound, bound, shape);
    }
}
