package io.shiftsr.model;

import io.shiftsr.diffusion.Denoiser;
import io.shiftsr.diffusion.ResidualShiftProcess;
import io.shiftsr.diffusion.Schedule;
import io.shiftsr.engine.Tensor;
import io.shiftsr.latent.LatentCodec;

/**
 * A trained ShiftSR model: the network, the schedule it was trained with and its latent codec.
 * It predicts x0_hat = y0 + f(x_t, y0, t, s) (DESIGN.md section 4); {@link #denoiser(double)} fixes the scale
 * s for the reverse chain.
 */
public final class ShiftSrModel {
    private final DualDomainUNet net;
    private final Schedule schedule;
    private final LatentCodec codec;

    public ShiftSrModel(DualDomainUNet net, Schedule schedule, LatentCodec codec) {
        if (net.config().latentChannels() != codec.channels()) {
            throw new IllegalArgumentException("network expects " + net.config().latentChannels()
                    + " latent channels but codec " + codec.name() + " makes " + codec.channels());
        }
        this.net = net;
        this.schedule = schedule;
        this.codec = codec;
    }

    public DualDomainUNet net() {
        return net;
    }

    public Schedule schedule() {
        return schedule;
    }

    public LatentCodec codec() {
        return codec;
    }

    /** The process with the trained schedule but noise strength {@code kappa} (0 = DeltaDiff). */
    public ResidualShiftProcess process(double kappa) {
        return new ResidualShiftProcess(schedule.withKappa(kappa));
    }

    /** Latent sizes must be multiples of this; image sizes of this times the codec factor. */
    public int latentMultiple() {
        return net.config().sizeMultiple();
    }

    /** The denoiser the reverse chain calls when upscaling by {@code scale}. */
    public Denoiser denoiser(double scale) {
        return (scaledXt, y0, t) -> {
            int b = (int) y0.size(0);
            int[] ts = new int[b];
            float[] scales = new float[b];
            java.util.Arrays.fill(ts, t);
            java.util.Arrays.fill(scales, (float) scale);
            return predictX0(scaledXt, y0, ts, scales);
        };
    }

    /**
     * x0_hat = y0 + f(scaled x_t, y0, t / T, s), one time step and scale per sample (training draws them per
     * sample). {@code scale} may be null for a network without the scale embedding.
     */
    public Tensor predictX0(Tensor scaledXt, Tensor y0, int[] t, float[] scale) {
        float[] time = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            time[i] = (float) t[i] / schedule.steps();
        }
        return y0.add(net.forward(scaledXt, y0, time, scale));
    }
}
