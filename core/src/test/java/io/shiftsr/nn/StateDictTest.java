package io.shiftsr.nn;

import static org.junit.jupiter.api.Assertions.*;

import io.shiftsr.engine.Engine;
import io.shiftsr.engine.Scope;
import io.shiftsr.engine.Tensor;
import io.shiftsr.model.SrNetwork;
import io.shiftsr.model.ModelConfig;
import io.shiftsr.train.AdamW;
import io.shiftsr.train.Ema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Loading state as torch's load_state_dict: strict, with every mismatch named, and nothing half-copied. */
class StateDictTest {
    static final ModelConfig TINY = new ModelConfig(48, 8, new int[] {1, 2}, new int[] {1, 1}, new int[] {1}, 16,
            true, true, true);

    private static Map<String, float[]> values(Map<String, Tensor> state) {
        Map<String, float[]> out = new LinkedHashMap<>();
        state.forEach((k, t) -> out.put(k, t.toFloatArray()));
        return out;
    }

    @Test
    void aModuleRoundTripsItsStateAndRefusesMismatchesByName() {
        Engine.init();
        try (Scope s = Scope.open()) {
            SrNetwork a = new SrNetwork(TINY, 1), b = new SrNetwork(TINY, 2);
            b.loadStateDict(values(a.stateDict()));
            a.stateDict().forEach((k, t) -> assertArrayEquals(t.toFloatArray(), b.stateDict().get(k).toFloatArray(), k));

            Map<String, float[]> bad = values(a.stateDict());
            String dropped = bad.keySet().iterator().next();
            bad.remove(dropped);
            bad.put("extra.weight", new float[3]);
            float[] before = b.stateDict().get("tail.weight").toFloatArray();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(bad));
            assertTrue(e.getMessage().contains("missing 1 (" + dropped + ")"), e.getMessage());
            assertTrue(e.getMessage().contains("unexpected 1 (extra.weight)"), e.getMessage());
            assertArrayEquals(before, b.stateDict().get("tail.weight").toFloatArray(), "nothing copied on error");
        }
    }

    @Test
    void optimizerAndAverageExposeTheirStateToo() {
        Engine.init();
        try (Scope s = Scope.open()) {
            SrNetwork net = new SrNetwork(TINY, 1);
            AdamW adam = new AdamW(net.stateDict(), 0.9, 0.99, 0);
            assertEquals(2 * net.stateDict().size(), adam.stateDict().size());
            assertTrue(adam.stateDict().keySet().stream().allMatch(k -> k.startsWith("m/") || k.startsWith("v/")));
            Map<String, float[]> moments = values(adam.stateDict());
            moments.replaceAll((k, v) -> {
                float[] w = v.clone();
                java.util.Arrays.fill(w, 0.5f);
                return w;
            });
            adam.loadStateDict(moments, 7);
            assertEquals(7, adam.stepCount());
            assertEquals(0.5f, adam.stateDict().values().iterator().next().toFloatArray()[0]);
            Ema ema = new Ema(net.stateDict(), 0.9);
            assertThrows(IllegalArgumentException.class, () -> ema.loadStateDict(Map.of()));
            List<String> fresh = StateDict.loadAllowingMissing(net.stateDict(), Map.of(), "nothing");
            assertEquals(net.stateDict().size(), fresh.size());
        }
    }
}
