package io.shiftsr.train;

import io.shiftsr.engine.Engine;
import io.shiftsr.engine.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exponential moving average of the weights: the copy that gets validated and exported. The decay warms up
 * as min(decay, (1 + n) / (10 + n)) so early averages are not dominated by the random start.
 */
public final class Ema {
    private final Map<String, Tensor> shadow = new LinkedHashMap<>();
    private final double decay;

    public Ema(Map<String, Tensor> params, double decay) {
        this.decay = decay;
        try (Engine.GradGuard g = Engine.gradDisabled()) {
            params.forEach((name, p) -> shadow.put(name, p.detach().copy().persistent()));
        }
    }

    public void update(Map<String, Tensor> params, long step) {
        double d = Math.min(decay, (1.0 + step) / (10.0 + step));
        try (Engine.GradGuard g = Engine.gradDisabled()) {
            params.forEach((name, p) -> shadow.get(name).lerpInPlace(p, 1 - d));
        }
    }

    public Map<String, Tensor> weights() {
        return shadow;
    }

    /** The averaged weights by parameter name. */
    public Map<String, Tensor> stateDict() {
        return shadow;
    }

    /** Loads averaged weights strictly (io.shiftsr.nn.StateDict). */
    public void loadStateDict(Map<String, float[]> values) {
        io.shiftsr.nn.StateDict.loadStrict(shadow, values, "EMA weights");
    }

    /** Copies the averaged weights into {@code target} (a second network used for validation/export). */
    public void copyInto(Map<String, Tensor> target) {
        try (Engine.GradGuard g = Engine.gradDisabled()) {
            target.forEach((name, p) -> p.copyFrom(shadow.get(name)));
        }
    }
}
