package io.shiftsr.diffusion;

import static org.junit.jupiter.api.Assertions.*;

import io.shiftsr.engine.Rng;
import io.shiftsr.engine.Scope;
import io.shiftsr.engine.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The objective draws what it says and shows the network the states sampling would show it. */
class TrainingObjectiveTest {
    private static final Schedule FOUR = new Schedule(4, 0.3, 0.02, 0.99, 2.0);

    @Test
    void shareAtTSetsHowOftenTheLastStepIsTrained() {
        var obj = new TrainingObjective(new ResidualShiftProcess(FOUR), new TrainingObjective.Settings(0, true, 0.5, 0));
        SplittableRandom r = new SplittableRandom(3);
        int atT = 0, n = 0;
        int[] seen = new int[5];
        for (int i = 0; i < 2000; i++) {
            for (int t : obj.draw(8, r).t()) {
                atT += t == 4 ? 1 : 0;
                seen[t]++;
                n++;
            }
        }
        assertEquals(0.5, (double) atT / n, 0.02);
        assertTrue(seen[1] > 0 && seen[2] > 0 && seen[3] > 0, "every t < T is still trained");
        assertEquals(0, seen[0]);
    }

    @Test
    void shareZeroIsTheUniformDrawOfTheOriginalObjective() {
        var obj = new TrainingObjective(new ResidualShiftProcess(FOUR), new TrainingObjective.Settings(0.25, false, 0, 0));
        SplittableRandom a = new SplittableRandom(7), b = new SplittableRandom(7);
        for (int i = 0; i < 100; i++) {
            TrainingObjective.Draw d = obj.draw(8, a);
            for (int j = 0; j < 8; j++) {
                // The loop the trainer ran before the objective moved here: t, then the noisy flag.
                assertEquals(1 + b.nextInt(4), d.t()[j]);
                assertEquals(b.nextDouble() < 0.25, d.noisy()[j]);
            }
            assertEquals(0, d.selfEstimated());
        }
    }

    @Test
    void selfEstimatedStatesAreTheReverseChainsFirstStep() {
        try (Scope s = Scope.open()) {
            var process = new ResidualShiftProcess(FOUR.withKappa(0));
            var obj = new TrainingObjective(process, new TrainingObjective.Settings(0, true, 0.3, 1.0));
            TrainingObjective.Draw d = null;
            SplittableRandom r = new SplittableRandom(1);
            while (d == null || d.selfEstimated() == 0 || d.selfEstimated() == d.t().length) {
                d = obj.draw(6, r);
            }
            int k = d.selfEstimated();
            for (int i = 0; i < 6; i++) {
                assertEquals(i < k, d.t()[i] < 4, "self-estimated samples come first, and only t < T");
            }
            Tensor x0 = Tensor.full(0.3f, 6, 1, 1, 1), y0 = Tensor.full(-0.5f, 6, 1, 1, 1);
            float[][] seenXt = new float[2][];
            int[] call = {0};
            // A stand-in network: remembers what it was given and predicts 0.1 everywhere.
            TrainingObjective.BatchDenoiser net = (xt, cond, t, first) -> {
                seenXt[Math.min(call[0]++, 1)] = xt.toFloatArray();
                return Tensor.full(0.1f, (int) xt.size(0), 1, 1, 1);
            };
            obj.predict(net, d, x0, y0, Tensor.zeros(6, 1, 1, 1), new Rng(2));
            assertEquals(2, call[0], "one no-grad call for the estimate, one for the prediction");
            assertEquals(k, seenXt[0].length, "the estimate is made for the self-estimated slice only");
            for (float v : seenXt[0]) {
                assertEquals(-0.5f, v, 1e-6, "the estimate starts from the prior y0");
            }
            double etaT = FOUR.eta(4);
            for (int i = 0; i < 6; i++) {
                int t = d.t()[i];
                double expected = i < k
                        ? 0.1 + FOUR.eta(t) / etaT * (-0.5 - 0.1)   // x_t = x0_hat + eta_t/eta_T (x_T - x0_hat)
                        : t == 4 ? -0.5 : 0.3 + FOUR.eta(t) * (-0.5 - 0.3); // prior at T, else q from the HR
                assertEquals(expected, seenXt[1][i], 1e-5, "sample " + i + " at t=" + t);
            }
        }
    }

    @Test
    void theNoisyTrainingPathIsTheSamplingChainsPriorAndPosterior() {
        // T = 2, every sample on the noisy process: the self-estimated samples sit at t = 1 and the network sees
        // the sampling chain's state there, made by the sampling code's own prior and posterior with the same
        // noise; the others see q's x_t, or the prior at T.
        Schedule two = new Schedule(2, 0.3, 0.02, 0.99, 2.0);
        try (Scope s = Scope.open()) {
            var process = new ResidualShiftProcess(two);
            var obj = new TrainingObjective(process, new TrainingObjective.Settings(1.0, true, 0.5, 1.0));
            TrainingObjective.Draw d = null;
            SplittableRandom r = new SplittableRandom(4);
            while (d == null || d.selfEstimated() < 2 || d.selfEstimated() == d.t().length) {
                d = obj.draw(8, r);
            }
            int k = d.selfEstimated(), b = d.t().length;
            Tensor x0 = Tensor.full(0.3f, b, 1, 1, 1), y0 = Tensor.full(-0.5f, b, 1, 1, 1);
            Tensor noise = new Rng(9).randn(b, 1, 1, 1);
            float[][] seen = new float[2][];
            int[] call = {0};
            TrainingObjective.BatchDenoiser net = (xt, cond, t, first) -> {
                seen[Math.min(call[0]++, 1)] = xt.toFloatArray();
                return Tensor.full(0.1f, (int) xt.size(0), 1, 1, 1);
            };
            obj.predict(net, d, x0, y0, noise, new Rng(2));
            // The sampling path: x_T = y0 + kappa sqrt(eta_T) noise, x0_hat = 0.1, one posterior step 2 -> 1
            // drawing its noise from the same generator, then the network input scale at t = 1.
            float[] nz = noise.toFloatArray();
            float[] prior = new float[k];
            for (int i = 0; i < k; i++) {
                prior[i] = (float) (-0.5 + 2.0 * two.sqrtEta(2) * nz[i]);
            }
            Tensor xT = Tensor.of(prior, k, 1, 1, 1);
            float[] atT = seen[0];
            for (int i = 0; i < k; i++) {
                assertEquals(prior[i] * process.inputScale(2), atT[i], 1e-5, "the estimate's input is the prior");
            }
            float[] expected = process.posteriorStep(xT, Tensor.full(0.1f, k, 1, 1, 1), 1, 2, new Rng(2))
                    .mul(process.inputScale(1)).toFloatArray();
            for (int i = 0; i < k; i++) {
                assertEquals(expected[i], seen[1][i], 1e-5, "self-estimated sample " + i);
            }
            for (int i = k; i < b; i++) {
                int t = d.t()[i];
                double state = t == 2 ? -0.5 + 2.0 * two.sqrtEta(2) * nz[i]
                        : 0.3 + two.eta(1) * (-0.5 - 0.3) + 2.0 * two.sqrtEta(1) * nz[i];
                assertEquals(state * process.inputScale(t), seen[1][i], 1e-5, "sample " + i + " at t=" + t);
            }
        }
    }

    @Test
    void settingsOutsideTheUnitIntervalAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TrainingObjective.Settings(0, true, 1.5, 0));
        assertThrows(IllegalArgumentException.class, () -> new TrainingObjective.Settings(Double.NaN, true, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new TrainingObjective.Settings(0, true, 0, -0.1));
    }
}
