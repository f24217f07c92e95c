package io.shiftsr.io;

/**
 * Wall time spent in each stage of one upscale, from the encoded input to the encoded output: what {@code bench}
 * prints as its stage table (docs/PERFORMANCE.md). The stages are timed where they run (the reader, the upscaler,
 * the PNG writer); a caller that passes no clock (null) pays nothing. Not thread-safe: one clock per upscale.
 */
public final class StageClock {
    /** The stages, in the order an upscale runs them. */
    public enum Stage {
        DECODE("decode"),
        Y0("y0 (MATLAB bicubic)"),
        TILES("tile extraction and turns"),
        LATENT("latent (un)shuffle"),
        NETWORK("network"),
        BLEND("blending"),
        EIGHT_BIT("8-bit rows"),
        ENCODE("encode"),
        OTHER("other");

        private final String label;

        Stage(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final long[] nanos = new long[Stage.values().length];

    /** A start time for {@link #stop}. */
    public static long start() {
        return System.nanoTime();
    }

    /** Adds the time since {@code t0} to {@code stage}; returns now, the start of whatever comes next. */
    public long stop(Stage stage, long t0) {
        long now = System.nanoTime();
        nanos[stage.ordinal()] += now - t0;
        return now;
    }

    /** Adds {@code ns} to {@code stage} (negative amounts move time out of it). */
    public void add(Stage stage, long ns) {
        nanos[stage.ordinal()] += ns;
    }

    public long nanos(Stage stage) {
        return nanos[stage.ordinal()];
    }

    public long totalNanos() {
        long t = 0;
        for (long n : nanos) {
            t += n;
        }
        return t;
    }

    public double totalSeconds() {
        return totalNanos() / 1e9;
    }
}
