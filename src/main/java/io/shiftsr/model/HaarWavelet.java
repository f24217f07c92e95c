package io.shiftsr.model;

import io.shiftsr.engine.Tensor;

/**
 * One-level orthonormal Haar transform of every channel as a fixed stride-2 convolution (DESIGN.md
 * section 6). Sub-bands come out as (B, C, 4, H/2, W/2) in the order LL, LH, HL, HH.
 */
public final class HaarWavelet {
    private final Tensor filters; // (4, 1, 2, 2)

    public HaarWavelet() {
        float[] f = {
            0.5f, 0.5f, 0.5f, 0.5f,     // LL
            0.5f, 0.5f, -0.5f, -0.5f,   // LH: difference between rows
            0.5f, -0.5f, 0.5f, -0.5f,   // HL: difference between columns
            0.5f, -0.5f, -0.5f, 0.5f    // HH
        };
        this.filters = Tensor.of(f, 4, 1, 2, 2).persistent();
    }

    public Tensor forward(Tensor x) {
        long b = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        return x.reshape(b * c, 1, h, w).conv2d(filters, null, 2, 0, 1).view(b, c, 4, h / 2, w / 2);
    }

    public Tensor inverse(Tensor bands) {
        long b = bands.size(0), c = bands.size(1), h = bands.size(3), w = bands.size(4);
        return bands.reshape(b * c, 4, h, w).convTranspose2d(filters, null, 2, 0, 1).view(b, c, h * 2, w * 2);
    }
}
