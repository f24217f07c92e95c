package io.shiftsr.diffusion;

import io.shiftsr.engine.Tensor;

/** Whatever predicts x0 from the (input-scaled) state; the process knows nothing of its insides. */
@FunctionalInterface
public interface Denoiser {
    /**
     * @param scaledXt x_t already multiplied by {@link ResidualShiftProcess#inputScale(int)}
     * @param y0       the condition (upsampled low-resolution image in the latent)
     * @param t        trained time step in 1..T, one for the whole batch
     * @return x0_hat, same shape as y0
     */
    Tensor predictX0(Tensor scaledXt, Tensor y0, int t);
}
