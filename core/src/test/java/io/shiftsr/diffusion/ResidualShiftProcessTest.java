package io.shiftsr.diffusion;

import static org.junit.jupiter.api.Assertions.*;

import io.shiftsr.engine.Rng;
import io.shiftsr.engine.Scope;
import io.shiftsr.engine.Tensor;
import org.junit.jupiter.api.Test;

/** The equations of DESIGN.md section 4, checked on scalars against hand computation. */
class ResidualShiftProcessTest {

    private static Tensor scalar(float v) {
        return Tensor.of(new float[] {v}, 1, 1, 1, 1);
    }

    @Test
    void forwardSampleFollowsTheFormula() {
        try (Scope s = Scope.open()) {
            Schedule sch = Schedule.resShift();
            ResidualShiftProcess p = new ResidualShiftProcess(sch);
            float x0 = 0.3f, y0 = -0.5f, n = 0.7f;
            double expected = x0 + sch.eta(6) * (y0 - x0) + 2.0 * sch.sqrtEta(6) * n;
            double got = p.forwardSample(scalar(x0), scalar(y0), new int[] {6}, scalar(n)).item();
            assertEquals(expected, got, 1e-6);
        }
    }

    @Test
    void deltaDiffForwardIgnoresNoise() {
        try (Scope s = Scope.open()) {
            ResidualShiftProcess p = new ResidualShiftProcess(Schedule.deltaDiff());
            double got = p.forwardSample(scalar(1f), scalar(0f), new int[] {2}, scalar(5f)).item();
            assertEquals(1.0 - Schedule.deltaDiff().eta(2), got, 1e-6);
        }
    }

    @Test
    void priorAtTTrainsTheLastStepOnWhatSamplingStartsFrom() {
        try (Scope s = Scope.open()) {
            Schedule sch = Schedule.resShift();
            int big = sch.steps();
            float x0 = 0.3f, y0 = -0.5f, n = 0.7f;
            ResidualShiftProcess noisy = new ResidualShiftProcess(sch);
            // q itself keeps 1 - eta_T of x0 at t = T; the option removes exactly that and nothing at t < T.
            double q = noisy.forwardSample(scalar(x0), scalar(y0), new int[] {big}, scalar(n)).item();
            assertEquals(x0 + sch.eta(big) * (y0 - x0) + 2.0 * sch.sqrtEta(big) * n, q, 1e-6);
            double atT = noisy.forwardSample(scalar(x0), scalar(y0), new int[] {big}, scalar(n), true).item();
            assertEquals(y0 + 2.0 * sch.sqrtEta(big) * n, atT, 1e-6);
            double below = noisy.forwardSample(scalar(x0), scalar(y0), new int[] {big - 1}, scalar(n), true).item();
            assertEquals(noisy.forwardSample(scalar(x0), scalar(y0), new int[] {big - 1}, scalar(n)).item(), below, 0);
            ResidualShiftProcess delta = new ResidualShiftProcess(Schedule.deltaDiff());
            double dd = delta.forwardSample(scalar(x0), scalar(y0), new int[] {delta.schedule().steps()}, scalar(n), true)
                    .item();
            assertEquals(delta.prior(scalar(y0), new Rng(1)).item(), dd, 0);
        }
    }

    @Test
    void posteriorMeanAndVarianceFollowResShift() {
        try (Scope s = Scope.open()) {
            Schedule sch = Schedule.resShift();
            ResidualShiftProcess p = new ResidualShiftProcess(sch);
            float xt = 0.4f, x0 = -0.2f;
            int t = 9, prev = 5;
            double etaT = sch.eta(t), etaS = sch.eta(prev), alpha = etaT - etaS;
            double mean = etaS / etaT * xt + alpha / etaT * x0;
            double var = 4.0 * etaS / etaT * alpha;
            // Average many draws: the sample mean and variance must match the formula.
            int n = 20000;
            Tensor xs = p.posteriorStep(Tensor.full(xt, n), Tensor.full(x0, n), prev, t, new Rng(1));
            float[] v = xs.toFloatArray();
            double m = 0, m2 = 0;
            for (float f : v) {
                m += f;
                m2 += f * f;
            }
            m /= n;
            double sampleVar = m2 / n - m * m;
            assertEquals(mean, m, 4 * Math.sqrt(var / n));
            assertEquals(var, sampleVar, 0.05 * var);
        }
    }

    @Test
    void deltaDiffPosteriorIsDeterministic() {
        try (Scope s = Scope.open()) {
            ResidualShiftProcess p = new ResidualShiftProcess(Schedule.deltaDiff());
            double a = p.posteriorStep(scalar(0.5f), scalar(0.1f), 2, 3, new Rng(1)).item();
            double b = p.posteriorStep(scalar(0.5f), scalar(0.1f), 2, 3, new Rng(2)).item();
            assertEquals(a, b);
        }
    }

    @Test
    void respacingPicksEvenlySpacedStepsFromT() {
        ResidualShiftProcess p = new ResidualShiftProcess(Schedule.resShift());
        assertArrayEquals(new int[] {15}, p.timesteps(1));
        assertArrayEquals(new int[] {15, 10, 6, 1}, p.timesteps(4));
        assertEquals(15, p.timesteps(15).length);
        assertArrayEquals(new int[] {4, 3, 2, 1}, new ResidualShiftProcess(Schedule.deltaDiff()).timesteps(4));
        assertThrows(IllegalArgumentException.class, () -> p.timesteps(16));
    }

    @Test
    void samplerCallsTheNetworkOncePerStepAndRecoversAPerfectPrediction() {
        try (Scope s = Scope.open()) {
            for (Schedule sch : new Schedule[] {Schedule.deltaDiff(), Schedule.resShift()}) {
                ResidualShiftProcess p = new ResidualShiftProcess(sch);
                Tensor x0 = Tensor.of(new float[] {0.25f, -0.75f}, 1, 2, 1, 1);
                Tensor y0 = Tensor.of(new float[] {0.5f, 0.5f}, 1, 2, 1, 1);
                int[] calls = {0};
                // An oracle that always knows x0: the chain must end exactly at x0.
                Denoiser oracle = (xt, cond, t) -> {
                    calls[0]++;
                    return x0.copy();
                };
                Tensor out = p.sample(oracle, y0, 4, new Rng(7), null);
                assertEquals(4, calls[0]);
                assertArrayEquals(x0.toFloatArray(), out.toFloatArray(), 1e-6f);
            }
        }
    }

    @Test
    void seededSamplingIsReproducible() {
        try (Scope s = Scope.open()) {
            ResidualShiftProcess p = new ResidualShiftProcess(Schedule.resShift());
            Tensor y0 = Tensor.zeros(1, 3, 4, 4);
            Denoiser half = (xt, cond, t) -> xt.mul(0.5);
            float[] a = p.sample(half, y0, 4, new Rng(3), null).toFloatArray();
            float[] b = p.sample(half, y0, 4, new Rng(3), null).toFloatArray();
            float[] c = p.sample(half, y0, 4, new Rng(4), null).toFloatArray();
            assertArrayEquals(a, b);
            assertFalse(java.util.Arrays.equals(a, c));
        }
    }
}
