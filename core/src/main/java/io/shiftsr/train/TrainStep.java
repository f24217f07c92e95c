package io.shiftsr.train;

import io.shiftsr.diffusion.TrainingObjective;
import io.shiftsr.engine.Engine;
import io.shiftsr.engine.Rng;
import io.shiftsr.engine.Scope;
import io.shiftsr.engine.Tensor;
import io.shiftsr.sr.ShiftSrModel;
import java.util.SplittableRandom;

/**
 * One optimisation step: {@link TrainingObjective} draws t and the noisy share and makes the state the network
 * sees (DESIGN.md section 4); the loss compares the decoded x0 prediction with the HR crop; AdamW steps.
 */
public final class TrainStep {
    private final ShiftSrModel model;
    private final TrainingObjective objective;
    private final Losses losses;
    private final boolean bf16;
    private final AdamW optimizer;
    private final LearningRate lr;
    private final double gradClip;
    private final long seed;

    public TrainStep(ShiftSrModel model, TrainConfig cfg, AdamW optimizer) {
        this.model = model;
        this.objective = new TrainingObjective(model.process(cfg.diffusion().kappa()), cfg.diffusion().objective());
        this.losses = new Losses(cfg.loss());
        this.optimizer = optimizer;
        this.lr = new LearningRate(cfg.optim().lr(), cfg.optim().minLr(), cfg.optim().warmupSteps(),
                cfg.optim().totalSteps());
        this.gradClip = cfg.optim().gradClip();
        this.seed = cfg.optim().seed();
        this.bf16 = Trainer.bf16(cfg);
    }

    /** The network's x0 estimate, under bf16 autocast for mixed precision (backward follows the same casts). */
    private Tensor predictX0(Tensor scaledXt, Tensor y0, int[] t, float[] scale, float[] degradation) {
        if (!bf16) {
            return model.predictX0(scaledXt, y0, t, scale, degradation);
        }
        try (Engine.GradGuard g = Engine.autocastBf16()) {
            return model.predictX0(scaledXt, y0, t, scale, degradation);
        }
    }

    /** Lays the parameters out for the configured precision (bf16: channels-last); before AdamW and EMA. */
    public static void prepare(io.shiftsr.model.SrNetwork net, TrainConfig cfg) {
        if (Trainer.bf16(cfg)) {
            net.namedParameters().values().forEach(Tensor::channelsLastInPlace);
        }
    }

    /** Result of one step, for the log. */
    public record Result(double loss, double lr, double gradNorm) {}

    public Result run(TrainingBatch batch) {
        int b = batch.size(), p = batch.crop();
        SplittableRandom r = new SplittableRandom(seed * 0x632BE59BD9B4E019L + batch.step());
        TrainingObjective.Draw draw = objective.draw(b, r);
        double rate = lr.at(batch.step());
        try (Scope scope = Scope.open()) {
            Tensor hr = Tensor.of(batch.hr(), b, 3, p, p);
            Tensor x0 = model.codec().encode(hr);
            Tensor y0 = model.codec().encode(Tensor.of(batch.y0(), b, 3, p, p));
            Tensor noise = Rng.derive(seed, batch.step()).randn(x0.shape());
            TrainingObjective.BatchDenoiser net = (xt, cond, t, first) -> predictX0(xt, cond, t,
                    slice(batch.scales(), first, t.length), slice(batch.degradation(), first, t.length));
            Tensor x0Hat = objective.predict(net, draw, x0, y0, noise,
                    Rng.derive(seed ^ 0x5E1FE57L, batch.step()));
            Tensor loss = losses.compute(model.codec().decode(x0Hat), hr, batch.step());
            optimizer.zeroGrad();
            loss.backward();
            double norm = optimizer.clipGradNorm(gradClip);
            optimizer.step(rate);
            return new Result(loss.item(), rate, norm);
        }
    }

    private static float[] slice(float[] values, int first, int count) {
        return values == null ? null : java.util.Arrays.copyOfRange(values, first, first + count);
    }
}
