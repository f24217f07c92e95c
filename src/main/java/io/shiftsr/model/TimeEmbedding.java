package io.shiftsr.model;

import io.shiftsr.engine.Rng;
import io.shiftsr.engine.Tensor;
import io.shiftsr.nn.Linear;
import io.shiftsr.nn.Module;

/** Sinusoidal embedding of the diffusion time, then a two-layer MLP (DESIGN.md section 6). */
final class TimeEmbedding extends Module {
    private final int dim;
    private final Linear fc1;
    private final Linear fc2;

    TimeEmbedding(Rng rng, int dim) {
        this.dim = dim;
        this.fc1 = child("fc1", new Linear(rng, dim, dim));
        this.fc2 = child("fc2", new Linear(rng, dim, dim));
    }

    /** @param time one value per sample in [0, 1] (t / T), scaled to [0, 1000] as in DDPM. */
    Tensor forward(float[] time) {
        int half = dim / 2;
        float[] e = new float[time.length * dim];
        for (int b = 0; b < time.length; b++) {
            double pos = time[b] * 1000.0;
            for (int i = 0; i < half; i++) {
                double freq = Math.exp(-Math.log(10000.0) * i / half);
                e[b * dim + i] = (float) Math.sin(pos * freq);
                e[b * dim + half + i] = (float) Math.cos(pos * freq);
            }
        }
        return fc2.forward(fc1.forward(Tensor.of(e, time.length, dim)).silu());
    }
}
