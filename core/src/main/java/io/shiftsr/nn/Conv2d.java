package io.shiftsr.nn;

import io.shiftsr.engine.Engine;
import io.shiftsr.engine.Rng;
import io.shiftsr.engine.Tensor;

/** 2-D convolution, "same" padding for odd kernels unless a stride says otherwise. */
public final class Conv2d extends Module {
    private final Tensor weight;
    private final Tensor bias;
    private final int stride;
    private final int padding;
    private final int groups;
    public final int in;
    public final int out;
    public final int kernel;

    public Conv2d(Rng rng, int in, int out, int kernel, int stride, int padding, int groups, boolean bias) {
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.groups = groups;
        long fanIn = (long) in / groups * kernel * kernel;
        this.weight = param("weight", Init.fanInUniform(rng, fanIn, out, in / groups, kernel, kernel));
        this.bias = bias ? param("bias", Init.fanInUniform(rng, fanIn, out)) : null;
    }

    /** Stride 1, same padding, with bias. */
    public Conv2d(Rng rng, int in, int out, int kernel) {
        this(rng, in, out, kernel, 1, kernel / 2, 1, true);
    }

    public Tensor forward(Tensor x) {
        return x.conv2d(weight, bias, stride, padding, groups);
    }

    /** The same convolution with other (e.g. folded) weights: for algebraic rewrites of a layer pair. */
    public Tensor forward(Tensor x, Tensor otherWeight, Tensor otherBias) {
        return x.conv2d(otherWeight, otherBias, stride, padding, groups);
    }

    public Tensor weight() {
        return weight;
    }

    /** The bias, or null. */
    public Tensor bias() {
        return bias;
    }

    /** Multiply-accumulates per output pixel (for FLOP counts). */
    public long macsPerOutputPixel() {
        return (long) out * (in / groups) * kernel * kernel;
    }

    /** Zeroes the weights and bias: a residual branch then starts as the identity. */
    public Conv2d zeroInit() {
        try (Engine.GradGuard g = Engine.gradDisabled()) {
            weight.zeroInPlace();
            if (bias != null) {
                bias.zeroInPlace();
            }
        }
        return this;
    }
}
