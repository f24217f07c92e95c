package io.shiftsr.weights;

/**
 * Limits and checks for {@link SafetensorsReader#read(java.nio.file.Path, ReadOptions)}.
 *
 * @param allowNonFinite  accept NaN / Inf values (refused by default: they poison inference silently)
 * @param maxTensorNumel  largest element count for one tensor, at most 2^31-1 because values live in a float[]
 * @param maxTotalNumel   largest element count summed over the file
 */
public record ReadOptions(boolean allowNonFinite, long maxTensorNumel, long maxTotalNumel) {

    /** Finite values only, 2^31-1 elements per tensor, no total limit beyond the file size. */
    public static final ReadOptions DEFAULTS = new ReadOptions(false, Integer.MAX_VALUE, Long.MAX_VALUE);

    public ReadOptions {
        if (maxTensorNumel < 0 || maxTensorNumel > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxTensorNumel must be in [0, 2^31-1]: " + maxTensorNumel);
        }
        if (maxTotalNumel < 0) {
            throw new IllegalArgumentException("maxTotalNumel must be >= 0: " + maxTotalNumel);
        }
    }

    public static ReadOptions defaults() {
        return DEFAULTS;
    }

    public ReadOptions withAllowNonFinite(boolean allow) {
        return new ReadOptions(allow, maxTensorNumel, maxTotalNumel);
    }

    public ReadOptions withMaxTensorNumel(long max) {
        return new ReadOptions(allowNonFinite, max, maxTotalNumel);
    }

    public ReadOptions withMaxTotalNumel(long max) {
        return new ReadOptions(allowNonFinite, maxTensorNumel, max);
    }
}
