package io.shiftsr.upscale;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The methods {@code shiftsr upscale --method NAME} knows. A new method (the diffusion model) plugs in with
 * one {@link #register} call; suppliers run only when the method is chosen, so loading weights or native
 * libraries costs nothing for the others.
 */
public final class Upscalers {
    private static final Map<String, Supplier<Upscaler>> METHODS = new LinkedHashMap<>();

    static {
        register("bicubic", BicubicUpscaler::new);
    }

    private Upscalers() {
    }

    public static synchronized void register(String name, Supplier<Upscaler> factory) {
        METHODS.put(name, factory);
    }

    public static synchronized Set<String> names() {
        return Collections.unmodifiableSet(new java.util.LinkedHashSet<>(METHODS.keySet()));
    }

    /** The upscaler for a method name, or null when there is none. */
    public static synchronized Upscaler create(String name) {
        Supplier<Upscaler> f = METHODS.get(name);
        return f == null ? null : f.get();
    }
}
