package io.shiftsr.engine;

import java.util.Arrays;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Our thin, immutable-looking view of a libtorch tensor, float32 unless a parameter was converted to bfloat16
 * ({@link #convertInPlace}). Methods without a trailing "InPlace" return new tensors; the in-place ones mutate
 * and return {@code this}. Only this package sees JavaCPP.
 */
public final class Tensor {
    org.bytedeco.pytorch.Tensor t; // replaced only by convertInPlace

    Tensor(org.bytedeco.pytorch.Tensor t) {
        this.t = t;
    }

    // ---- creation -------------------------------------------------------------------------------

    public static Tensor zeros(long... shape) {
        Engine.init();
        return new Tensor(torch.zeros(shape));
    }

    public static Tensor ones(long... shape) {
        Engine.init();
        return new Tensor(torch.ones(shape));
    }

    public static Tensor full(double value, long... shape) {
        return zeros(shape).fillInPlace(value);
    }

    /** Copies {@code data} (row-major) into a new tensor of the given shape. */
    public static Tensor of(float[] data, long... shape) {
        Engine.init();
        if (numel(shape) != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + data.length + " values");
        }
        org.bytedeco.pytorch.Tensor t = torch.empty(shape);
        if (data.length > 0) {
            t.data_ptr_float().put(data);
        }
        return new Tensor(t);
    }

    public static Tensor scalar(double value) {
        return full(value, 1);
    }

    public static Tensor cat(int dim, Tensor... parts) {
        TensorVector v = new TensorVector(parts.length);
        for (int i = 0; i < parts.length; i++) {
            v.put(i, parts[i].t);
        }
        return new Tensor(torch.cat(v, dim));
    }

    // ---- inspection -----------------------------------------------------------------------------

    public long[] shape() {
        return t.sizes().vec().get();
    }

    public long size(int dim) {
        return t.size(dim < 0 ? dim + t.dim() : dim);
    }

    public int dim() {
        return (int) t.dim();
    }

    public long numel() {
        return t.numel();
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    /**
     * Converts this tensor (a parameter) to {@code p}: BF16 stores bfloat16, in channels-last layout for 4-D
     * convolution weights; FP32 back to float32, standard layout. Every holder of this object sees the change.
     */
    public Tensor convertInPlace(Precision p) {
        boolean bf16 = p.resolve() == Precision.BF16;
        // detach: the converted weights are new leaves for inference, not a graph hanging on the old ones
        org.bytedeco.pytorch.Tensor c = t.detach().to(bf16 ? torch.ScalarType.BFloat16 : torch.ScalarType.Float);
        if (c.dim() == 4) {
            c = c.contiguous(bf16 ? torch.MemoryFormat.ChannelsLast : torch.MemoryFormat.Contiguous);
        }
        t = c;
        return this;
    }

    /**
     * Stores a 4-D parameter channels-last (still float32, still a trainable leaf): under bf16 autocast the
     * convolutions then run on oneDNN's fast path, 4.5x the fp32 rate of a conv's forward and backward here.
     */
    public Tensor channelsLastInPlace() {
        if (t.dim() == 4) {
            boolean grad = t.requires_grad();
            org.bytedeco.pytorch.Tensor c = t.detach().contiguous(torch.MemoryFormat.ChannelsLast);
            c.set_requires_grad(grad);
            t = c;
        }
        return this;
    }

    /** True when stored as bfloat16. */
    public boolean isBf16() {
        return t.scalar_type() == torch.ScalarType.BFloat16;
    }

    /** This tensor in the weight's number format and, for a 4-D bfloat16 weight, channels-last layout. */
    private org.bytedeco.pytorch.Tensor like(Tensor weight) {
        if (t.scalar_type() == weight.t.scalar_type()) {
            return t;
        }
        org.bytedeco.pytorch.Tensor c = t.to(weight.t.scalar_type());
        return weight.isBf16() && c.dim() == 4 ? c.contiguous(torch.MemoryFormat.ChannelsLast) : c;
    }

    /** Copies the values out, row-major (as float32 whatever the storage). */
    public float[] toFloatArray() {
        org.bytedeco.pytorch.Tensor c = (t.scalar_type() == torch.ScalarType.Float ? t : t.to(torch.ScalarType.Float))
                .contiguous();
        long n = c.numel();
        if (n > Integer.MAX_VALUE) {
            throw new IllegalStateException("tensor too large for a Java array: " + n);
        }
        float[] out = new float[(int) n];
        if (n > 0) {
            FloatPointer p = c.data_ptr_float();
            p.get(out);
        }
        return out;
    }

    /** Writes {@code data} (row-major, as {@link #toFloatArray} gives it) into this float32 tensor, any layout. */
    public Tensor setFrom(float[] data) {
        if (t.numel() != data.length) {
            throw new IllegalArgumentException("setFrom needs a tensor of " + data.length + " values");
        }
        if (t.is_contiguous()) {
            t.data_ptr_float().put(data);
        } else { // channels-last: copy_ puts each value where its index says
            try (Engine.GradGuard g = Engine.gradDisabled()) {
                t.copy_(of(data, shape()).t);
            }
        }
        return this;
    }

    public double item() {
        return t.item_double();
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape());
    }

    // ---- memory ---------------------------------------------------------------------------------

    /**
     * Moves this tensor out of the innermost {@link Scope} into the enclosing one (or out of all scopes),
     * so it survives the close of the scope it was made in.
     */
    public Tensor keep() {
        Scope.escape(t);
        return this;
    }

    /**
     * Takes this tensor out of every open {@link Scope}: for long-lived state (parameters, optimizer
     * moments) made while a scope happens to be open. The garbage collector frees it when unreachable.
     */
    public Tensor persistent() {
        Scope.escapeAll(t);
        return this;
    }

    /** Frees the native handle now (the storage goes when nothing else references it). */
    public void release() {
        t.close();
    }

    // ---- autograd -------------------------------------------------------------------------------

    public Tensor requiresGrad(boolean on) {
        t.set_requires_grad(on);
        return this;
    }

    public boolean requiresGrad() {
        return t.requires_grad();
    }

    /** The accumulated gradient, or null when there is none. */
    public Tensor grad() {
        org.bytedeco.pytorch.Tensor g = t.grad();
        return g == null || !g.defined() ? null : new Tensor(g);
    }

    public void backward() {
        t.backward();
    }

    public Tensor detach() {
        return new Tensor(t.detach());
    }

    public Tensor copy() {
        return new Tensor(t.clone());
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
        return new Tensor(torch.matmul(t, o.like(this)));
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

    private static TensorOptional optional(Tensor x) {
        return x == null ? new TensorOptional() : new TensorOptional(x.t);
    }

    // ---- in place (optimizers, EMA, samplers) ---------------------------------------------------

    public Tensor copyFrom(Tensor src) {
        t.copy_(src.t);
        return this;
    }

    public Tensor fillInPlace(double v) {
        t.fill_(new Scalar(v));
        return this;
    }

    public Tensor zeroInPlace() {
        t.zero_();
        return this;
    }

    public Tensor mulInPlace(double v) {
        t.mul_(new Scalar(v));
        return this;
    }

    /** this += alpha * o */
    public Tensor addInPlace(Tensor o, double alpha) {
        t.add_(o.t, new Scalar(alpha));
        return this;
    }

    /** this += value * a * b */
    public Tensor addcmulInPlace(Tensor a, Tensor b, double value) {
        t.addcmul_(a.t, b.t, new Scalar(value));
        return this;
    }

    /** this += value * a / b */
    public Tensor addcdivInPlace(Tensor a, Tensor b, double value) {
        t.addcdiv_(a.t, b.t, new Scalar(value));
        return this;
    }

    /** this += weight * (end - this) */
    public Tensor lerpInPlace(Tensor end, double weight) {
        t.lerp_(end.t, new Scalar(weight));
        return this;
    }

    public Tensor sqrtInPlace() {
        t.sqrt_();
        return this;
    }

    public Tensor addInPlace(double v) {
        t.add_(new Scalar(v));
        return this;
    }
}
