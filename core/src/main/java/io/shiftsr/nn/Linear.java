package io.shiftsr.nn;

import io.shiftsr.engine.Engine;
import io.shiftsr.engine.Rng;
import io.shiftsr.engine.Tensor;

/** y = x W^T + b. */
public final class Linear extends Module {
    private final Tensor weight;
    private final Tensor bias;

    public Linear(Rng rng, int in, int out) {
        this.weight = param("weight", Init.fanInUniform(rng, in, out, in));
        this.bias = param("bias", Init.fanInUniform(rng, in, out));
    }

    public Tensor forward(Tensor x) {
        return x.linear(weight, bias);
    }

    public Linear zeroInit() {
        try (Engine.GradGuard g = Engine.gradDisabled()) {
            weight.zeroInPlace();
            bias.zeroInPlace();
        }
        return this;
    }
}
