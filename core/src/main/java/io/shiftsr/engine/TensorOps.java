package io.shiftsr.engine;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * The functional operations of a {@link Tensor}: each returns a new tensor and leaves its operands alone
 * (elementwise, reductions, shape, the neural-network primitives), apart from the binding in {@code Tensor}
 * itself. A sealed base class, so call sites stay {@code x.conv2d(...)}.
 */
public abstract sealed class TensorOps permits Tensor {
    org.bytedeco.pytorch.Tensor t; // replaced only by Tensor.convertInPlace

    /**
     * This tensor in the weight's number format and, for a 4-D bfloat16 weight, channels-last layout: what
     * oneDNN's bf16 convolution reads (libtorch would otherwise copy the input into it inside the conv).
     */
    org.bytedeco.pytorch.Tensor like(Tensor weight) {
        org.bytedeco.pytorch.Tensor c = Tensor.sameType(t, weight.t) ? t : t.to(weight.t.scalar_type());
        // contiguous(ChannelsLast) returns the tensor itself when it is already channels-last
        return weight.isBf16() && c.dim() == 4 ? c.contiguous(torch.MemoryFormat.ChannelsLast) : c;
    }

    // ---- elementwise ----------------------------------------------------------------------------

    public Tensor add(Tensor o) {
        return new Tensor(t.add(o.t));
    }

    public Tensor add(double v) {
        return new Tensor(t.add(new Scalar(v)));
    }

    public Tensor sub(Tensor o) {
        return new Tensor(t.sub(o.t));
    }

    public Tensor mul(Tensor o) {
        return new Tensor(t.mul(o.t));
    }

    public Tensor mul(double v) {
        return new Tensor(t.mul(new Scalar(v)));
    }

    public Tensor div(Tensor o) {
        return new Tensor(t.div(o.t));
    }

    public Tensor neg() {
        return new Tensor(t.neg());
    }

    public Tensor abs() {
        return new Tensor(t.abs());
    }

    public Tensor square() {
        return new Tensor(t.mul(t));
    }

    public Tensor sqrt() {
        return new Tensor(torch.sqrt(t));
    }

    public Tensor exp() {
        return new Tensor(t.exp());
    }

    public Tensor sin() {
        return new Tensor(t.sin());
    }

    public Tensor cos() {
        return new Tensor(t.cos());
    }

    public Tensor silu() {
        return new Tensor(torch.silu(t));
    }

    public Tensor relu() {
        return new Tensor(torch.relu(t));
    }

    public Tensor sigmoid() {
        return new Tensor(t.sigmoid());
    }

    public Tensor clamp(double lo, double hi) {
        return new Tensor(t.clamp(new ScalarOptional(new Scalar(lo)), new ScalarOptional(new Scalar(hi))));
    }

    // ---- reductions -----------------------------------------------------------------------------

    public Tensor mean() {
        return new Tensor(t.mean());
    }

    public Tensor sum() {
        return new Tensor(t.sum());
    }

    /** Mean over the given dimensions, keeping them as size 1. */
    public Tensor meanKeep(long... dims) {
        return new Tensor(t.mean(dims, true, new org.bytedeco.pytorch.ScalarTypeOptional()));
    }

    /** Sum over the given dimensions, keeping them as size 1. */
    public Tensor sumKeep(long... dims) {
        return new Tensor(t.sum(dims, true, new org.bytedeco.pytorch.ScalarTypeOptional()));
    }

    // ---- shape ----------------------------------------------------------------------------------

    public Tensor view(long... shape) {
        return new Tensor(t.view(shape));
    }

    public Tensor reshape(long... shape) {
        return new Tensor(t.reshape(shape));
    }

    public Tensor permute(long... dims) {
        return new Tensor(t.permute(dims));
    }

    /** Reverses the order along each of {@code dims} (a copy). */
    public Tensor flip(long... dims) {
        return new Tensor(t.flip(dims));
    }

    public Tensor contiguous() {
        return new Tensor(t.contiguous());
    }

    public Tensor narrow(int dim, long start, long length) {
        return new Tensor(t.narrow(dim, start, length));
    }

    public Tensor unsqueeze(int dim) {
        return new Tensor(t.unsqueeze(dim));
    }

    public Tensor[] chunk(int chunks, int dim) {
        TensorVector v = t.chunk(chunks, dim);
        Tensor[] out = new Tensor[(int) v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Tensor(v.get(i));
        }
        return out;
    }

    // ---- neural-network primitives --------------------------------------------------------------

    public Tensor conv2d(Tensor weight, Tensor bias, int stride, int padding, int groups) {
        return new Tensor(torch.conv2d(like(weight), weight.t, optional(bias),
                new long[] {stride, stride}, new long[] {padding, padding}, new long[] {1, 1}, groups));
    }

    public Tensor convTranspose2d(Tensor weight, Tensor bias, int stride, int padding, int groups) {
        return new Tensor(torch.conv_transpose2d(like(weight), weight.t, optional(bias),
                new long[] {stride, stride}, new long[] {padding, padding}, new long[] {0, 0}, groups, 1, 1));
    }

    /** y = x W^T + b over the last dimension. */
    public Tensor linear(Tensor weight, Tensor bias) {
        return new Tensor(torch.linear(like(weight), weight.t, optional(bias)));
    }

    public Tensor matmul(Tensor o) {
        return new Tensor(torch.matmul(t, o.like((Tensor) this)));
    }

    public Tensor pixelShuffle(int factor) {
        return new Tensor(torch.pixel_shuffle(t, factor));
    }

    public Tensor pixelUnshuffle(int factor) {
        return new Tensor(torch.pixel_unshuffle(t, factor));
    }

    public Tensor maxPool2d(int kernel) {
        return new Tensor(torch.max_pool2d(t, new long[] {kernel, kernel}, new long[] {kernel, kernel},
                new long[] {0, 0}, new long[] {1, 1}, false));
    }

    public Tensor avgPool2d(int kernel) {
        return new Tensor(torch.avg_pool2d(t, kernel, kernel));
    }

    public Tensor groupNorm(int groups, Tensor weight, Tensor bias) {
        return new Tensor(torch.group_norm(t, groups, optional(weight), optional(bias), 1e-5, true));
    }

    public Tensor l1Loss(Tensor target) {
        return new Tensor(torch.l1_loss(t, target.t));
    }

    public Tensor mseLoss(Tensor target) {
        return new Tensor(torch.mse_loss(t, target.t));
    }

    static TensorOptional optional(Tensor x) {
        return x == null ? new TensorOptional() : new TensorOptional(x.t);
    }
}
