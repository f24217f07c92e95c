package io.shiftsr.weights;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The contents of a safetensors file: tensors in file order and the string metadata. */
public record SafetensorsFile(String source, List<TensorData> tensors, Map<String, String> metadata) {

    public Map<String, TensorData> byName() {
        Map<String, TensorData> m = new LinkedHashMap<>();
        for (TensorData t : tensors) {
            m.put(t.name(), t);
        }
        return m;
    }

    /**
     * Refuses the file unless it holds exactly the expected tensors with the expected shapes; the message
     * names the first mismatch.
     */
    public void requireShapes(Map<String, long[]> expected) {
        Map<String, TensorData> have = byName();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            TensorData t = have.get(e.getKey());
            if (t == null) {
                throw new WeightsException(source + ": missing tensor '" + e.getKey() + "'");
            }
            if (!Arrays.equals(t.shape(), e.getValue())) {
                throw new WeightsException(source + ": tensor '" + e.getKey() + "': expected shape "
                        + Arrays.toString(e.getValue()) + " but the file has " + Arrays.toString(t.shape()));
            }
        }
        for (String name : have.keySet()) {
            if (!expected.containsKey(name)) {
                throw new WeightsException(source + ": unexpected tensor '" + name + "'");
            }
        }
    }
}
