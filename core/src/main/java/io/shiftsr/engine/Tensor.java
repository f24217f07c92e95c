package io.shiftsr.engine;

import java.util.Arrays;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Our thin, immutable-looking view of a libtorch tensor, float32 unless a parameter was converted to bfloat16
 * ({@link #convertInPlace}). Methods without a trailing "InPlace" return new tensors; the in-place ones mutate
 * and return {@code this}. Only this package sees JavaCPP. This class is the binding (creation, conversion,
 * data access, native memory, autograd, the in-place updates); the functional operations are {@link TensorOps}'.
 */
public final class Tensor extends TensorOps {
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

    /** True when a 4-D tensor is stored channels-last (NHWC memory order). */
    public boolean channelsLast() {
        return t.dim() == 4 && t.is_contiguous(torch.MemoryFormat.ChannelsLast);
    }

    /** True when stored as bfloat16. */
    public boolean isBf16() {
        return sameType(t.scalar_type(), torch.ScalarType.BFloat16);
    }

    /**
     * Whether two number formats are the same. By value: the binding hands out a new enum object for each
     * {@code scalar_type()} call, so {@code ==} against a constant is always false.
     */
    static boolean sameType(torch.ScalarType a, torch.ScalarType b) {
        return a.value == b.value;
    }

    static boolean sameType(org.bytedeco.pytorch.Tensor a, org.bytedeco.pytorch.Tensor b) {
        return sameType(a.scalar_type(), b.scalar_type());
    }

    /** Copies the values out, row-major (as float32 whatever the storage). */
    public float[] toFloatArray() {
        org.bytedeco.pytorch.Tensor c = (sameType(t.scalar_type(), torch.ScalarType.Float) ? t : t.to(torch.ScalarType.Float))
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
