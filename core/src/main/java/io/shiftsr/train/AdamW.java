package io.shiftsr.train;

import io.shiftsr.engine.Engine;
import io.shiftsr.engine.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter): Adam moments with bias correction and decoupled weight decay. Our own so
 * that its state is plain named tensors we can checkpoint and restore exactly.
 */
public final class AdamW {
    private final Map<String, Tensor> params;
    private final Map<String, Tensor> m = new LinkedHashMap<>();
    private final Map<String, Tensor> v = new LinkedHashMap<>();
    private final double beta1;
    private final double beta2;
    private final double eps = 1e-8;
    private final double weightDecay;
    private long t;

    public AdamW(Map<String, Tensor> params, double beta1, double beta2, double weightDecay) {
        this.params = params;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.weightDecay = weightDecay;
        params.forEach((name, p) -> {
            m.put(name, Tensor.zeros(p.shape()).persistent());
            v.put(name, Tensor.zeros(p.shape()).persistent());
        });
    }

    public void step(double lr) {
        t++;
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = 1 - Math.pow(beta2, t);
        try (Engine.GradGuard g = Engine.gradDisabled()) {
            for (Map.Entry<String, Tensor> e : params.entrySet()) {
                Tensor p = e.getValue();
                Tensor grad = p.grad();
                if (grad == null) {
                    continue;
                }
                Tensor mt = m.get(e.getKey());
                Tensor vt = v.get(e.getKey());
                mt.mulInPlace(beta1).addInPlace(grad, 1 - beta1);
                vt.mulInPlace(beta2).addcmulInPlace(grad, grad, 1 - beta2);
                // Decay only weights, not biases, gains or norms (1-D parameters), as is usual.
                if (weightDecay > 0 && p.dim() > 1) {
                    p.mulInPlace(1 - lr * weightDecay);
                }
                Tensor denom = vt.sqrt().mul(1 / Math.sqrt(bc2)).add(eps);
                p.addcdivInPlace(mt, denom, -lr / bc1);
            }
        }
    }

    /** Clears the gradients (set to zero in place, keeping the buffers). */
    public void zeroGrad() {
        try (Engine.GradGuard g = Engine.gradDisabled()) {
            for (Tensor p : params.values()) {
                Tensor grad = p.grad();
                if (grad != null) {
                    grad.zeroInPlace();
                }
            }
        }
    }

    /** Scales all gradients so their global L2 norm is at most maxNorm; returns the norm before. */
    public double clipGradNorm(double maxNorm) {
        double sq = 0;
        try (Engine.GradGuard g = Engine.gradDisabled()) {
            for (Tensor p : params.values()) {
                Tensor grad = p.grad();
                if (grad != null) {
                    sq += grad.square().sum().item();
                }
            }
            double norm = Math.sqrt(sq);
            if (maxNorm > 0 && norm > maxNorm) {
                double f = maxNorm / (norm + 1e-6);
                for (Tensor p : params.values()) {
                    Tensor grad = p.grad();
                    if (grad != null) {
                        grad.mulInPlace(f);
                    }
                }
            }
            return norm;
        }
    }

    /** Optimizer steps taken (the bias corrections depend on it). */
    public long stepCount() {
        return t;
    }

    /**
     * The moments by name, as torch's optimizer {@code state_dict()}: "m/&lt;param&gt;" (first) and
     * "v/&lt;param&gt;" (second); the step count travels beside it ({@link #stepCount()}).
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>(io.shiftsr.nn.StateDict.prefixed("m/", m));
        out.putAll(io.shiftsr.nn.StateDict.prefixed("v/", v));
        return out;
    }

    /** Loads moments strictly and the step count they belong to. */
    public void loadStateDict(Map<String, float[]> values, long steps) {
        io.shiftsr.nn.StateDict.loadStrict(stateDict(), values, "optimizer state");
        this.t = steps;
    }
}
