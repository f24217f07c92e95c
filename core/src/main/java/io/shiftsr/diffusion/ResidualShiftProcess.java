package io.shiftsr.diffusion;

import io.shiftsr.engine.Rng;
import io.shiftsr.engine.Scope;
import io.shiftsr.engine.Tensor;
import java.util.function.IntConsumer;

/**
 * The residual-shifting Markov chain between x0 (high resolution) and y0 (upsampled low resolution),
 * DESIGN.md section 4. One code path serves ResShift (kappa > 0) and DeltaDiff (kappa = 0).
 */
public final class ResidualShiftProcess {
    private final Schedule schedule;

    public ResidualShiftProcess(Schedule schedule) {
        this.schedule = schedule;
    }

    public Schedule schedule() {
        return schedule;
    }

    public double kappa() {
        return schedule.kappa();
    }

    /** ResShift scales the network input by 1 / sqrt(kappa^2 eta_t + 1); 1 for DeltaDiff. */
    public double inputScale(int t) {
        return 1.0 / Math.sqrt(kappa() * kappa() * schedule.eta(t) + 1.0);
    }

    /** Forward sample q(x_t | x0, y0) = x0 + eta_t (y0 - x0) + kappa sqrt(eta_t) noise, per-sample t. */
    public Tensor forwardSample(Tensor x0, Tensor y0, int[] t, Tensor noise) {
        return forwardSample(x0, y0, t, noise, false);
    }

    /**
     * The forward sample, except that with {@code priorAtT} a sample at t = T is the state sampling starts
     * from, {@link #prior}: y0 + kappa sqrt(eta_T) noise, without the 1 - eta_T of x0 that q keeps (DESIGN.md
     * section 4: the noise-free mismatch).
     */
    public Tensor forwardSample(Tensor x0, Tensor y0, int[] t, Tensor noise, boolean priorAtT) {
        long b = x0.size(0);
        float[] eta = new float[t.length];
        float[] noiseStd = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            eta[i] = priorAtT && t[i] == schedule.steps() ? 1f : (float) schedule.eta(t[i]);
            noiseStd[i] = (float) (kappa() * schedule.sqrtEta(t[i]));
        }
        Tensor xt = x0.add(y0.sub(x0).mul(Tensor.of(eta, b, 1, 1, 1)));
        if (kappa() > 0) {
            xt = xt.add(noise.mul(Tensor.of(noiseStd, b, 1, 1, 1)));
        }
        return xt;
    }

    /** x_T = y0 + kappa sqrt(eta_T) noise (DeltaDiff: y0 itself). */
    public Tensor prior(Tensor y0, Rng rng) {
        if (kappa() == 0) {
            return y0; // not a copy: the reverse chain only reads x_T, never changes it in place
        }
        return y0.add(rng.randn(y0.shape()).mul(kappa() * schedule.sqrtEta(schedule.steps())));
    }

    /**
     * One reverse step from t to s < t: the posterior q(x_s | x_t, x0_hat) of section 4 with (t-1, t)
     * replaced by (s, t), which is what makes respacing possible.
     */
    public Tensor posteriorStep(Tensor xt, Tensor x0Hat, int s, int t, Rng rng) {
        double etaT = schedule.eta(t);
        double etaS = schedule.eta(s);
        double alpha = etaT - etaS;
        Tensor mean = xt.mul(etaS / etaT).add(x0Hat.mul(alpha / etaT));
        double var = kappa() * kappa() * (etaS / etaT) * alpha;
        if (var > 0) {
            mean = mean.add(rng.randn(xt.shape()).mul(Math.sqrt(var)));
        }
        return mean;
    }

    // ---- per sample: the same formulas with t and kappa given per row (training draws them per sample) ----

    /** 1 / sqrt(kappa_i^2 eta_{t_i} + 1) per row, as a (B, 1, 1, 1) column. */
    public Tensor inputScale(int[] t, float[] kappa) {
        float[] v = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            v[i] = (float) (1.0 / Math.sqrt(kappa[i] * kappa[i] * schedule.eta(t[i]) + 1.0));
        }
        return column(v);
    }

    /**
     * q(x_t | x0, y0) with t and kappa per row ({@link #forwardSample(Tensor, Tensor, int[], Tensor, boolean)}
     * with kappa_i in place of the schedule's: 0 rows are DeltaDiff rows and ignore their noise).
     */
    public Tensor forwardSample(Tensor x0, Tensor y0, int[] t, float[] kappa, Tensor noise, boolean priorAtT) {
        float[] eta = new float[t.length];
        float[] noiseStd = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            eta[i] = priorAtT && t[i] == schedule.steps() ? 1f : (float) schedule.eta(t[i]);
            noiseStd[i] = (float) (kappa[i] * schedule.sqrtEta(t[i]));
        }
        return x0.add(y0.sub(x0).mul(column(eta))).add(noise.mul(column(noiseStd)));
    }

    /** x_T = y0 + kappa_i sqrt(eta_T) noise per row ({@link #prior(Tensor, Rng)} with the noise given). */
    public Tensor prior(Tensor y0, float[] kappa, Tensor noise) {
        float[] std = new float[kappa.length];
        for (int i = 0; i < kappa.length; i++) {
            std[i] = (float) (kappa[i] * schedule.sqrtEta(schedule.steps()));
        }
        return y0.add(noise.mul(column(std)));
    }

    /**
     * The reverse step t_i -> s_i &lt; t_i per row ({@link #posteriorStep(Tensor, Tensor, int, int, Rng)}):
     * mean (eta_s / eta_t) x_t + (alpha / eta_t) x0_hat, plus sqrt(kappa_i^2 (eta_s / eta_t) alpha) noise.
     */
    public Tensor posteriorStep(Tensor xt, Tensor x0Hat, int[] s, int[] t, float[] kappa, Tensor noise) {
        float[] keepXt = new float[t.length], keepX0 = new float[t.length], std = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            double etaT = schedule.eta(t[i]), etaS = schedule.eta(s[i]), alpha = etaT - etaS;
            keepXt[i] = (float) (etaS / etaT);
            keepX0[i] = (float) (alpha / etaT);
            std[i] = (float) Math.sqrt(kappa[i] * kappa[i] * (etaS / etaT) * alpha);
        }
        return xt.mul(column(keepXt)).add(x0Hat.mul(column(keepX0))).add(noise.mul(column(std)));
    }

    private static Tensor column(float[] v) {
        return Tensor.of(v, v.length, 1, 1, 1);
    }

    /**
     * Evenly spaced trained steps used when sampling with {@code steps} network calls, from T down
     * (e.g. T = 15, 4 steps -> 15, 10, 6, 1; 1 step -> 15).
     */
    public int[] timesteps(int steps) {
        int big = schedule.steps();
        if (steps < 1 || steps > big) {
            throw new IllegalArgumentException("steps must be in 1.." + big + " for this model, got " + steps);
        }
        int[] ts = new int[steps];
        for (int i = 0; i < steps; i++) {
            ts[i] = steps == 1 ? big : (int) Math.round(big - (big - 1.0) * i / (steps - 1));
        }
        return ts;
    }

    /**
     * Runs the reverse chain: exactly {@code steps} network calls; the output is the last x0_hat.
     * Each step runs in its own native-memory scope.
     */
    public Tensor sample(Denoiser net, Tensor y0, int steps, Rng rng, IntConsumer onStep) {
        int[] ts = timesteps(steps);
        Tensor x = prior(y0, rng);
        for (int i = 0; i < ts.length; i++) {
            int t = ts[i];
            try (Scope scope = Scope.open()) {
                double inputScale = inputScale(t); // 1 without noise: x_t goes in as it is, not times 1
                Tensor x0Hat = net.predictX0(inputScale == 1 ? x : x.mul(inputScale), y0, t);
                Tensor next = i + 1 < ts.length ? posteriorStep(x, x0Hat, ts[i + 1], t, rng) : x0Hat;
                x = next.keep();
            }
            if (onStep != null) {
                onStep.accept(i + 1);
            }
        }
        return x;
    }
}
