package io.shiftsr.nn;

import io.shiftsr.engine.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tree of layers owning named parameters, in the spirit of torch.nn.Module but with our own handles
 * to every parameter (DESIGN.md section 9: libtorch's register_parameter handles went stale).
 * Names are dotted paths ("blocks.0.spatial1.weight") and are the keys of the weights file.
 */
public abstract class Module {
    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();

    /** Registers a trainable parameter; it outlives any open scope. */
    protected final Tensor param(String name, Tensor value) {
        if (params.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("duplicate name " + name);
        }
        Tensor p = value.persistent().requiresGrad(true);
        params.put(name, p);
        return p;
    }

    protected final <M extends Module> M child(String name, M module) {
        if (params.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("duplicate name " + name);
        }
        children.put(name, module);
        return module;
    }

    /** Every parameter below this module, in registration order, with dotted names. */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Tensor> out) {
        params.forEach((n, p) -> out.put(prefix + n, p));
        children.forEach((n, c) -> c.collect(prefix + n + ".", out));
    }

    public final long parameterCount() {
        long n = 0;
        for (Tensor p : namedParameters().values()) {
            n += p.numel();
        }
        return n;
    }

    /** The module's state by name, as torch's {@code state_dict()}: its parameters (there are no buffers). */
    public final Map<String, Tensor> stateDict() {
        return namedParameters();
    }

    /** Loads a state strictly (missing, unexpected and mis-sized names are an error; {@link StateDict}). */
    public final void loadStateDict(Map<String, float[]> values) {
        StateDict.loadStrict(stateDict(), values, "weights");
    }
}
