package io.shiftsr.weights;

/** Element types we read and write; values are always float32 in memory. */
public enum DType {
    F32(4), F16(2), BF16(2);

    public final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }
}
