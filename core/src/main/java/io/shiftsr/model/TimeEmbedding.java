package io.shiftsr.model;

import io.shiftsr.engine.Rng;
import io.shiftsr.engine.Tensor;
import io.shiftsr.nn.Linear;
import io.shiftsr.nn.Module;

/**
 * Sinusoidal embedding of the diffusion time, then a two-layer MLP (DESIGN.md section 6). Optionally the scale
 * factor gets its own sinusoidal embedding, added after the first layer through a zero-initialised linear map,
 * so a network trained without it starts out computing exactly what it did before. The degradation level
 * (0 clean .. 1 heavily degraded) joins the same way, through its own zero-initialised map.
 */
final class TimeEmbedding extends Module {
    private final int dim;
    private final Linear fc1;
    private final Linear fc2;
    private final Linear scaleFc;
    private final Linear degradationFc;

    TimeEmbedding(Rng rng, int dim, boolean withScale, boolean withDegradation) {
        this.dim = dim;
        this.fc1 = child("fc1", new Linear(rng, dim, dim));
        this.fc2 = child("fc2", new Linear(rng, dim, dim));
        this.scaleFc = withScale ? child("scale_fc", new Linear(rng, dim, dim).zeroInit()) : null;
        this.degradationFc = withDegradation ? child("degradation_fc", new Linear(rng, dim, dim).zeroInit()) : null;
    }

    /**
     * @param time  one value per sample in [0, 1] (t / T), scaled to [0, 1000] as in DDPM
     * @param scale one scale factor per sample (ignored without the scale embedding); x4 sits at 1000 too
     * @param degradation one level in [0, 1] per sample (ignored without the degradation embedding), stretched
     *                    to [0, 1000] like the time
     */
    Tensor forward(float[] time, float[] scale, float[] degradation) {
        Tensor h = fc1.forward(sinusoid(time, 1000.0));
        if (scaleFc != null) {
            h = h.add(scaleFc.forward(sinusoid(scale, 250.0)));
        }
        if (degradationFc != null) {
            h = h.add(degradationFc.forward(sinusoid(degradation, 1000.0)));
        }
        return fc2.forward(h.silu());
    }

    private Tensor sinusoid(float[] values, double stretch) {
        int half = dim / 2;
        float[] e = new float[values.length * dim];
        for (int b = 0; b < values.length; b++) {
            double pos = values[b] * stretch;
            for (int i = 0; i < half; i++) {
                double freq = Math.exp(-Math.log(10000.0) * i / half);
                e[b * dim + i] = (float) Math.sin(pos * freq);
                e[b * dim + half + i] = (float) Math.cos(pos * freq);
            }
        }
        return Tensor.of(e, values.length, dim);
    }
}
