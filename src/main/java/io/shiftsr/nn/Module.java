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

    /** Copies values into the parameters by name; the caller has checked names and shapes. */
    public final void loadValues(Map<String, float[]> values) {
        for (Map.Entry<String, Tensor> e : namedParameters().entrySet()) {
            float[] v = values.get(e.getKey());
            if (v == null) {
                throw new IllegalArgumentException("missing parameter " + e.getKey());
            }
            e.getValue().setFrom(v);
        }
    }
}
