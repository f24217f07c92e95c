package io.shiftsr.weights;

/** A named tensor as stored in a weights file: dtype on disk, shape, values as float32. */
public record TensorData(String name, DType dtype, long[] shape, float[] values) {
    public long numel() {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }
}
