package io.shiftsr.model;

import io.shiftsr.diffusion.Denoiser;
import io.shiftsr.diffusion.ResidualShiftProcess;
import io.shiftsr.diffusion.Schedule;
import io.shiftsr.engine.Tensor;
import io.shiftsr.latent.LatentCodec;

/**
 * A trained ShiftSR model: the network, the schedule it was trained with and its latent codec.
 * As a {@link Denoiser} it predicts x0_hat = y0 + f(x_t, y0, t) (DESIGN.md section 4).
 */
public final class ShiftSrModel implements Denoiser {
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

    @Override
    public Tensor predictX0(Tensor scaledXt, Tensor y0, int t) {
        int[] ts = new int[(int) y0.size(0)];
        java.util.Arrays.fill(ts, t);
        return predictX0(scaledXt, y0, ts);
    }

    /** x0_hat = y0 + f(scaled x_t, y0, t / T), one time step per sample (training draws them per sample). */
    public Tensor predictX0(Tensor scaledXt, Tensor y0, int[] t) {
        float[] time = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            time[i] = (float) t[i] / schedule.steps();
        }
        return y0.add(net.forward(scaledXt, y0, time));
    }
}
