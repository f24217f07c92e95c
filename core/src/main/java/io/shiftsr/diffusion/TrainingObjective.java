package io.shiftsr.diffusion;

import io.shiftsr.engine.Engine;
import io.shiftsr.engine.Rng;
import io.shiftsr.engine.Tensor;
import java.util.SplittableRandom;

/**
 * What one training batch asks the network, as ResShift's {@code training_losses} beside {@code q_sample}:
 * which t each sample trains, which samples are noisy (ResShift) and which noise-free (DeltaDiff), the state
 * x_t the network sees and its input scaling (DESIGN.md section 4). Returns the network's x0 prediction; the
 * loss on it and the optimisation belong to the trainer. Knows nothing of the network's insides.
 *
 * <p>Three choices decide whether the states trained are the states sampling visits:
 * <ul>
 *   <li>{@code priorAtT}: t = T is trained on the prior, y0 (+ noise), not on q's x_T, which keeps 1 - eta_T
 *       of x0 that sampling never has;</li>
 *   <li>{@code shareAtT}: the share of samples at t = T, the state every sampling run starts from and the
 *       whole run for one step; 0 means t uniform over 1..T (ResShift's objective, which gives t = T only 1/T
 *       of the samples);</li>
 *   <li>{@code selfEstimate}: the share of t &lt; T samples whose x_t is made as sampling makes it, by the
 *       reverse step from the prior with the network's own t = T estimate (no gradient through it) instead
 *       of from the HR image by q: a later step then learns to correct the estimate it will really be given
 *       (exposure bias; without it, more steps cost PSNR, models/MODEL_CARD.md).</li>
 * </ul>
 */
public final class TrainingObjective {
    /**
     * Predicts x0 for rows {@code first .. first + t.length - 1} of the batch, one t per row: the model, which
     * knows each sample's own conditions (scale, degradation level); the process does not.
     */
    @FunctionalInterface
    public interface BatchDenoiser {
        Tensor predictX0(Tensor scaledXt, Tensor y0, int[] t, int first);
    }

    /**
     * @param noisyFraction share of samples on the noisy process (kappa of the schedule); the rest noise-free
     * @param priorAtT      train t = T on the prior instead of q's x_T
     * @param shareAtT      share of samples at t = T, the rest uniform over 1..T-1; 0: uniform over 1..T
     * @param selfEstimate  share of t &lt; T samples whose x_t comes from the network's own t = T estimate
     */
    public record Settings(double noisyFraction, boolean priorAtT, double shareAtT, double selfEstimate) {
        public Settings {
            check("noisyFraction", noisyFraction);
            check("shareAtT", shareAtT);
            check("selfEstimate", selfEstimate);
        }

        private static void check(String name, double v) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("diffusion." + name + " must be in [0, 1], got " + v);
            }
        }
    }

    /** What was drawn for one batch, sample by sample (samples needing the self-estimate come first). */
    public record Draw(int[] t, boolean[] noisy, int selfEstimated) {}

    private final ResidualShiftProcess process;
    private final Settings settings;

    /** @param process the trained schedule with the kappa of the noisy share */
    public TrainingObjective(ResidualShiftProcess process, Settings settings) {
        this.process = process;
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Draws t and the noisy flag of each sample. Samples are exchangeable, so the self-estimated ones are put
     * first and form one contiguous slice of the batch.
     */
    public Draw draw(int batch, SplittableRandom r) {
        int big = process.schedule().steps();
        double noisyShare = process.kappa() > 0 ? settings.noisyFraction() : 0;
        int[] t = new int[batch];
        boolean[] noisy = new boolean[batch];
        boolean[] self = new boolean[batch];
        int selfCount = 0;
        for (int i = 0; i < batch; i++) {
            if (settings.shareAtT() == 0 || big == 1) {
                t[i] = 1 + r.nextInt(big); // the draw of the objective before shareAtT existed, unchanged
            } else {
                t[i] = r.nextDouble() < settings.shareAtT() ? big : 1 + r.nextInt(big - 1);
            }
            noisy[i] = r.nextDouble() < noisyShare;
            if (settings.selfEstimate() > 0 && t[i] < big) {
                self[i] = r.nextDouble() < settings.selfEstimate();
                selfCount += self[i] ? 1 : 0;
            }
        }
        int[] ot = new int[batch];
        boolean[] on = new boolean[batch];
        int front = 0, back = selfCount;
        for (int i = 0; i < batch; i++) {
            int j = self[i] ? front++ : back++;
            ot[j] = t[i];
            on[j] = noisy[i];
        }
        return new Draw(ot, on, selfCount);
    }

    /**
     * x0_hat for the batch, with gradients to the network's parameters.
     *
     * @param x0    HR latent (B, C, h, w)
     * @param y0    upsampled-LR latent, same shape
     * @param noise standard normal, same shape (only the noisy samples use it)
     * @param rng   for the noise of the self-estimated noisy samples' reverse step
     */
    public Tensor predict(BatchDenoiser net, Draw d, Tensor x0, Tensor y0, Tensor noise, Rng rng) {
        int b = d.t().length;
        int k = d.selfEstimated();
        float[] kappa = kappas(d, 0, b);
        Tensor xt;
        if (k == b) {
            xt = selfEstimatedStates(net, d, 0, k, y0, noise, rng);
        } else {
            Tensor q = process.forwardSample(x0.narrow(0, k, b - k), y0.narrow(0, k, b - k), slice(d.t(), k, b),
                    slice(kappa, k, b), noise.narrow(0, k, b - k), settings.priorAtT());
            xt = k == 0 ? q : Tensor.cat(0, selfEstimatedStates(net, d, 0, k, y0, noise, rng), q);
        }
        return net.predictX0(xt.mul(process.inputScale(d.t(), kappa)), y0, d.t(), 0);
    }

    /** Each sample's noise strength: the schedule's kappa on the noisy process, 0 on DeltaDiff. */
    private float[] kappas(Draw d, int from, int to) {
        float[] k = new float[to - from];
        for (int i = from; i < to; i++) {
            k[i - from] = d.noisy()[i] ? (float) process.kappa() : 0f;
        }
        return k;
    }

    /**
     * The states the reverse chain reaches after its first step: x_T from the prior, x0_hat = net(x_T, T)
     * without gradient, then the posterior step T -> t (DESIGN.md section 4, respaced), all by the process's own
     * formulas. Noise-free samples get the deterministic DeltaDiff step, noisy ones the ResShift step with its
     * noise.
     */
    private Tensor selfEstimatedStates(BatchDenoiser net, Draw d, int from, int k, Tensor y0All, Tensor noise, Rng rng) {
        int big = process.schedule().steps();
        Tensor y0 = y0All.narrow(0, from, k);
        int[] tBig = new int[k];
        java.util.Arrays.fill(tBig, big);
        float[] kappa = kappas(d, from, from + k);
        // The prior's noise is the batch noise; the reverse step draws its own.
        Tensor xBig = process.prior(y0, kappa, noise.narrow(0, from, k));
        Tensor x0Hat;
        try (Engine.GradGuard g = Engine.gradDisabled()) {
            x0Hat = net.predictX0(xBig.mul(process.inputScale(tBig, kappa)), y0, tBig, from).detach();
        }
        return process.posteriorStep(xBig, x0Hat, slice(d.t(), from, from + k), tBig, kappa, rng.randn(xBig.shape()));
    }

    private static int[] slice(int[] a, int from, int to) {
        return java.util.Arrays.copyOfRange(a, from, to);
    }

    private static float[] slice(float[] a, int from, int to) {
        return java.util.Arrays.copyOfRange(a, from, to);
    }
}
