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
    void settingsOutsideTheUnitIntervalAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TrainingObjective.Settings(0, true, 1.5, 0));
        assertThrows(IllegalArgumentException.class, () -> new TrainingObjective.Settings(Double.NaN, true, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new TrainingObjective.Settings(0, true, 0, -0.1));
    }
}
