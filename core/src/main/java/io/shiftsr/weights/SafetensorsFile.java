package io.shiftsr.weights;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The contents of a safetensors file: tensors in header order plus the string metadata. */
public final class SafetensorsFile {
    private final String source;
    private final List<TensorData> tensors;
    private final Map<String, TensorData> byName;
    private final Map<String, String> metadata;

    public SafetensorsFile(String source, List<TensorData> tensors, Map<String, String> metadata) {
        this.source = source;
        this.tensors = List.copyOf(tensors);
        Map<String, TensorData> map = new LinkedHashMap<>();
        for (TensorData t : this.tensors) {
            if (map.put(t.name(), t) != null) {
                throw new WeightsException(source + ": duplicate tensor " + WeightsException.quote(t.name()));
            }
        }
        this.byName = Collections.unmodifiableMap(map);
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** Where the tensors came from (the path as given to the reader); used in messages. */
    public String source() {
        return source;
    }

    /** Tensors in the order of the file's header. */
    public List<TensorData> tensors() {
        return tensors;
    }

    /** Same tensors keyed by name, iterating in header order. */
    public Map<String, TensorData> tensorsByName() {
        return byName;
    }

    /** The {@code __metadata__} map (empty if the file has none), in file order. */
    public Map<String, String> metadata() {
        return metadata;
    }

    public Optional<TensorData> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The named tensor, or a WeightsException naming the file. */
    public TensorData tensor(String name) {
        TensorData t = byName.get(name);
        if (t == null) {
            throw new WeightsException(source + ": missing tensor " + WeightsException.quote(name));
        }
        return t;
    }

    /**
     * Refuses the file unless it holds exactly the expected tensors with exactly the expected
     * shapes. The expected map is checked in its iteration order (missing tensor or shape
     * mismatch), then tensors the file has beyond it are reported in header order.
     *
     * @return this, for chaining after {@code read}
     */
    public SafetensorsFile requireShapes(Map<String, long[]> expectedShapes) {
        for (Map.Entry<String, long[]> e : expectedShapes.entrySet()) {
            String t = "tensor " + WeightsException.quote(e.getKey());
            TensorData actual = byName.get(e.getKey());
            if (actual == null) {
                throw new WeightsException(source + ": missing " + t + " (expected shape "
                        + Arrays.toString(e.getValue()) + ")");
            }
            if (!Arrays.equals(e.getValue(), actual.shape())) {
                throw new WeightsException(source + ": " + t + ": expected shape " + Arrays.toString(e.getValue())
                        + " but the file has " + Arrays.toString(actual.shape()));
            }
        }
        for (TensorData t : tensors) {
            if (!expectedShapes.containsKey(t.name())) {
                throw new WeightsException(source + ": unexpected tensor " + WeightsException.quote(t.name())
                        + " with shape " + Arrays.toString(t.shape()));
            }
        }
        return this;
    }
}
