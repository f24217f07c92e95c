package io.shiftsr.train;

import io.shiftsr.diffusion.ResidualShiftProcess;
import io.shiftsr.engine.Rng;
import io.shiftsr.engine.Scope;
import io.shiftsr.engine.Tensor;
import io.shiftsr.model.ShiftSrModel;
import java.util.SplittableRandom;

/**
 * One optimisation step of the objective of DESIGN.md section 4: t uniform in 1..T per sample, a share of
 * the samples on the noisy (ResShift) process and the rest noise-free (DeltaDiff), x_t from the forward
 * process, the network predicts x0, the loss compares it with the HR crop.
 */
public final class TrainStep {
    private final ShiftSrModel model;
    private final ResidualShiftProcess process;
    private final boolean priorAtT;
    private final double noisyFraction;
    private final Losses losses;
    private final AdamW optimizer;
    private final LearningRate lr;
    private final double gradClip;
    private final long seed;

    public TrainStep(ShiftSrModel model, TrainConfig cfg, AdamW optimizer) {
        this.model = model;
        this.process = model.process(cfg.diffusion().kappa());
        this.noisyFraction = cfg.diffusion().kappa() > 0 ? cfg.diffusion().noisyFraction() : 0;
        this.priorAtT = cfg.diffusion().priorAtT();
        this.losses = new Losses(cfg.loss());
        this.optimizer = optimizer;
        this.lr = new LearningRate(cfg.optim().lr(), cfg.optim().minLr(), cfg.optim().warmupSteps(),
                cfg.optim().totalSteps());
        this.gradClip = cfg.optim().gradClip();
        this.seed = cfg.optim().seed();
    }

    /** Result of one step, for the log. */
    public record Result(double loss, double lr, double gradNorm) {}

    public Result run(Batch batch) {
        int b = batch.size(), p = batch.crop();
        int steps = process.schedule().steps();
        SplittableRandom r = new SplittableRandom(seed * 0x632BE59BD9B4E019L + batch.step());
        int[] t = new int[b];
        float[] noiseGate = new float[b];
        float[] inputScale = new float[b];
        for (int i = 0; i < b; i++) {
            t[i] = 1 + r.nextInt(steps);
            boolean noisy = r.nextDouble() < noisyFraction;
            noiseGate[i] = noisy ? 1f : 0f;
            inputScale[i] = noisy ? (float) process.inputScale(t[i]) : 1f;
        }
        double rate = lr.at(batch.step());
        try (Scope scope = Scope.open()) {
            Tensor hr = Tensor.of(batch.hr(), b, 3, p, p);
            Tensor x0 = model.codec().encode(hr);
            Tensor y0 = model.codec().encode(Tensor.of(batch.y0(), b, 3, p, p));
            Tensor noise = Rng.derive(seed, batch.step()).randn(x0.shape()).mul(Tensor.of(noiseGate, b, 1, 1, 1));
            Tensor xt = process.forwardSample(x0, y0, t, noise, priorAtT);
            Tensor x0Hat = model.predictX0(xt.mul(Tensor.of(inputScale, b, 1, 1, 1)), y0, t, batch.scales());
            Tensor loss = losses.compute(model.codec().decode(x0Hat), hr, batch.step());
            optimizer.zeroGrad();
            loss.backward();
            double norm = optimizer.clipGradNorm(gradClip);
            optimizer.step(rate);
            return new Result(loss.item(), rate, norm);
        }
    }
}
