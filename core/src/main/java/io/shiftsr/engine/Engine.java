package io.shiftsr.engine;

import org.bytedeco.pytorch.global.torch;

/**
 * Process-wide set-up of the tensor engine (libtorch through the Bytedeco presets).
 * The rest of ShiftSR talks to {@link Tensor}, {@link Scope} and {@link Rng}, never to JavaCPP directly.
 */
public final class Engine {
    private static volatile boolean initialised;

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
            if (threads <= 0 && System.getenv("OMP_NUM_THREADS") == null) {
                torch.set_num_threads(ComputeCores.count());
            }
        }
        if (threads > 0) {
            torch.set_num_threads(threads);
        }
    }

    public static void init() {
        init(0);
    }

    public static int threads() {
        init();
        return torch.get_num_threads();
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
