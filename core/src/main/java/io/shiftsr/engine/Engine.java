package io.shiftsr.engine;

import org.bytedeco.pytorch.global.torch;

/**
 * Process-wide set-up of the tensor engine (libtorch through the Bytedeco presets).
 * The rest of ShiftSR talks to {@link Tensor}, {@link Scope} and {@link Rng}, never to JavaCPP directly.
 */
public final class Engine {
    private static volatile boolean initialised;
    /** The compute threads one call runs on, as last set here (0: not set yet). */
    private static volatile int threadsPerCall;
    /** The count {@code init(0)} sets: the physical cores, or OMP_NUM_THREADS when given. */
    private static int defaultThreads;

    private Engine() {}

    /**
     * Loads the natives once and sets the intra-op thread count: {@code threads}, or with 0 the physical cores
     * this process may use ({@link ComputeCores}), unless OMP_NUM_THREADS says otherwise.
     */
    public static synchronized void init(int threads) {
        if (!initialised) {
            // Nothing in JavaCPP or libtorch phones home; this only loads the bundled natives.
            BundledNatives.load();
            initialised = true;
            // libtorch read OMP_NUM_THREADS when it loaded; without it, its own count can miss cores (ComputeCores)
            defaultThreads = System.getenv("OMP_NUM_THREADS") == null ? ComputeCores.count() : torch.get_num_threads();
            apply(threads > 0 ? threads : defaultThreads);
        } else if (threads > 0) {
            apply(threads);
        }
    }

    public static void init() {
        init(0);
    }

    /**
     * Sets the compute threads of the calls made from now on, also after {@link #init(int)}: {@code threads}, or
     * with 0 the default (the physical cores, unless OMP_NUM_THREADS says otherwise). Threads that already ran a
     * libtorch call keep the count they started with; new ones take this.
     */
    public static synchronized void setThreads(int threads) {
        init();
        apply(threads > 0 ? threads : defaultThreads);
    }

    private static void apply(int threads) {
        torch.set_num_threads(threads);
        threadsPerCall = threads;
    }

    public static int threads() {
        init();
        return torch.get_num_threads();
    }

    /**
     * How many compute calls can run at once without sharing a core: the physical cores over the threads each call
     * runs on. 1 at the default (every call uses every core); 2 on a 2-core machine after {@code init(1)}, where two
     * images upscaled side by side, each on one core, keep both cores busy while either does its Java work (decode,
     * y0, PNG), which one call on both cores cannot (docs/PERFORMANCE.md, session 21).
     */
    public static int concurrentCalls() {
        init();
        return Math.max(1, ComputeCores.count() / Math.max(1, threadsPerCall));
    }

    /** Disables autograd until closed: inference must not build graphs (memory and time). */
    public static GradGuard gradDisabled() {
        init();
        boolean before = org.bytedeco.pytorch.GradMode.is_enabled();
        org.bytedeco.pytorch.GradMode.set_enabled(false);
        return () -> org.bytedeco.pytorch.GradMode.set_enabled(before);
    }

    /**
     * Runs the enclosed ops under libtorch's CPU autocast to bfloat16 (convolutions and linear layers in bf16,
     * everything else as it is; fp32 weights and gradients stay fp32) until closed. The cache of cast weights
     * is dropped on the outermost close, so the next step casts the updated weights again.
     */
    public static GradGuard autocastBf16() {
        init();
        boolean before = torch.is_autocast_enabled(torch.DeviceType.CPU);
        torch.set_autocast_dtype(torch.DeviceType.CPU, torch.ScalarType.BFloat16);
        torch.set_autocast_enabled(torch.DeviceType.CPU, true);
        torch.increment_nesting();
        return () -> {
            if (torch.decrement_nesting() == 0) {
                torch.clear_cache();
            }
            torch.set_autocast_enabled(torch.DeviceType.CPU, before);
        };
    }

    /** Restores the previous autograd mode on close. */
    public interface GradGuard extends AutoCloseable {
        @Override
        void close();
    }
}
