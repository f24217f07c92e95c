package io.shiftsr.nn;

import io.shiftsr.engine.Engine;
import io.shiftsr.engine.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named state as torch.nn's {@code state_dict}: every module, the optimizer and the weight average expose
 * {@code stateDict()} (name to live tensor) and load one strictly: a missing, unexpected or mis-sized name is
 * an error that names them, before anything is copied.
 */
public final class StateDict {
    private StateDict() {
    }

    /**
     * Copies {@code values} into {@code targets} by name.
     *
     * @param what what is being loaded, for the message ("checkpoint model weights")
     * @throws IllegalArgumentException naming missing, unexpected and mis-sized entries; nothing is copied then
     */
    public static void loadStrict(Map<String, Tensor> targets, Map<String, float[]> values, String what) {
        List<String> missing = new ArrayList<>(), wrong = new ArrayList<>(), unexpected = new ArrayList<>();
        targets.forEach((name, t) -> {
            float[] v = values.get(name);
            if (v == null) {
                missing.add(name);
            } else if (v.length != t.numel()) {
                wrong.add(name + " (" + v.length + " values for " + t.numel() + ")");
            }
        });
        for (String name : values.keySet()) {
            if (!targets.containsKey(name)) {
                unexpected.add(name);
            }
        }
        if (!missing.isEmpty() || !wrong.isEmpty() || !unexpected.isEmpty()) {
            StringBuilder sb = new StringBuilder(what).append(" do not match:");
            append(sb, "missing", missing);
            append(sb, "unexpected", unexpected);
            append(sb, "mis-sized", wrong);
            throw new IllegalArgumentException(sb.toString());
        }
        try (Engine.GradGuard g = Engine.gradDisabled()) {
            targets.forEach((name, t) -> t.setFrom(values.get(name)));
        }
    }

    /**
     * torch's {@code load_state_dict(strict=False)} for fine-tuning: targets the values lack keep their
     * initialisation and are returned; an unexpected or mis-sized value is still an error.
     */
    public static List<String> loadAllowingMissing(Map<String, Tensor> targets, Map<String, float[]> values,
            String what) {
        Map<String, float[]> present = new LinkedHashMap<>();
        Map<String, Tensor> covered = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        targets.forEach((name, t) -> {
            if (values.containsKey(name)) {
                covered.put(name, t);
            } else {
                missing.add(name);
            }
        });
        values.forEach((name, v) -> present.put(name, v));
        loadStrict(covered, present, what);
        return missing;
    }

    private static void append(StringBuilder sb, String kind, List<String> names) {
        if (!names.isEmpty()) {
            sb.append(' ').append(kind).append(' ').append(names.size()).append(" (")
                    .append(String.join(", ", names.subList(0, Math.min(3, names.size()))))
                    .append(names.size() > 3 ? ", ..." : "").append(')');
        }
    }

    /** The entries under {@code prefix}, with it removed ("model/head.weight" to "head.weight"). */
    public static Map<String, float[]> under(String prefix, Map<String, float[]> all) {
        Map<String, float[]> out = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    /** {@code state} with {@code prefix} put before every name. */
    public static Map<String, Tensor> prefixed(String prefix, Map<String, Tensor> state) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((k, v) -> out.put(prefix + k, v));
        return out;
    }
}
