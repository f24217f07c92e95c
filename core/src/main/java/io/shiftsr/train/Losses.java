package io.shiftsr.train;

import io.shiftsr.engine.Tensor;
import io.shiftsr.metrics.ColorSpace;
import io.shiftsr.model.BlockDct;

/**
 * The training objective on x0 in pixels (B, 3, P, P), DESIGN.md section 6: weighted L1, L1 on the luma, MSE
 * and the seed's frequency loss (L1 on orthonormal 8x8 DCT coefficients at scales 1, 1/2, 1/4, weight 1/s).
 * With the pixel-unshuffle latent, pixel and latent L1/MSE are the same numbers (the codec is a permutation).
 */
public final class Losses {
    private final TrainConfig.Loss weights;
    private final BlockDct dct = new BlockDct();

    public Losses(TrainConfig.Loss weights) {
        this.weights = weights;
    }

    /** Warm-up: only the L1 terms at first, the other terms ramp in linearly over warmupSteps. */
    double ramp(long step) {
        return weights.warmupSteps() <= 0 ? 1 : Math.min(1.0, (double) step / weights.warmupSteps());
    }

    public Tensor compute(Tensor prediction, Tensor target, long step) {
        double ramp = ramp(step);
        Tensor loss = prediction.l1Loss(target).mul(weights.l1());
        if (weights.l1Luma() > 0) {
            loss = loss.add(luma(prediction).l1Loss(luma(target)).mul(weights.l1Luma())); // an L1: no ramp
        }
        if (weights.mse() > 0) {
            loss = loss.add(prediction.mseLoss(target).mul(weights.mse() * ramp));
        }
        if (weights.dct() > 0) {
            loss = loss.add(frequencyLoss(prediction, target).mul(weights.dct() * ramp));
        }
        return loss;
    }

    /**
     * (B, 1, P, P) luma of (B, 3, P, P) RGB in [-1, 1], in the same units: the weights of the evaluation's Y
     * ({@link ColorSpace}) over 255, without its offset (a difference does not see it).
     */
    static Tensor luma(Tensor rgb) {
        Tensor w = Tensor.of(new float[] {(float) (ColorSpace.Y_R / 255), (float) (ColorSpace.Y_G / 255),
                (float) (ColorSpace.Y_B / 255)}, 1, 3, 1, 1);
        return rgb.mul(w).sumKeep(1);
    }

    /** Sum over scales s in {1, 2, 4} of (1/s) L1(DCT(avgpool_s(a)), DCT(avgpool_s(b))), where sizes allow. */
    Tensor frequencyLoss(Tensor a, Tensor b) {
        Tensor total = null;
        for (int s = 1; s <= 4; s *= 2) {
            Tensor pa = s == 1 ? a : a.avgPool2d(s);
            Tensor pb = s == 1 ? b : b.avgPool2d(s);
            if (pa.size(2) % BlockDct.N != 0 || pa.size(3) % BlockDct.N != 0) {
                break;
            }
            Tensor term = dct.forward(pa).l1Loss(dct.forward(pb)).mul(1.0 / s);
            total = total == null ? term : total.add(term);
        }
        return total;
    }
}
