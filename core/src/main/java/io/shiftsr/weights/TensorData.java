package io.shiftsr.weights;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named tensor held as float32 in memory, whatever its storage dtype.
 *
 * @param name   the tensor name (non-empty)
 * @param dtype  the dtype it had in the file it was read from; informational for writing,
 *               where {@link SafetensorsWriter} takes the storage dtype as a parameter
 * @param shape  dimensions, all &gt;= 0 (empty = scalar); copied on the way in and out
 * @param values row-major values, length = product of shape; NOT copied (it can be large)
 */
public record TensorData(String name, DType dtype, long[] shape, float[] values) {

    public TensorData {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(values, "values");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("tensor name is empty");
        }
        shape = shape.clone();
        long n = numel(shape);
        if (n != values.length) {
            throw new IllegalArgumentException("tensor " + WeightsException.quote(name) + ": shape "
                    + Arrays.toString(shape) + " has " + n + " elements but " + values.length + " values were given");
        }
    }

    /** An F32 tensor. */
    public static TensorData of(String name, long[] shape, float[] values) {
        return new TensorData(name, DType.F32, shape, values);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements (= values().length). */
    public int numel() {
        return values.length;
    }

    /**
     * Product of the dimensions.
     *
     * @throws IllegalArgumentException on a negative dimension
     * @throws ArithmeticException      if the product overflows a long
     */
    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    // Records compare arrays by reference; tensors are more useful compared by content.
    @Override
    public boolean equals(Object o) {
        return o instanceof TensorData t && name.equals(t.name) && dtype == t.dtype
                && Arrays.equals(shape, t.shape) && Arrays.equals(values, t.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        return "TensorData[" + name + ", " + dtype + ", " + Arrays.toString(shape) + "]";
    }
}
