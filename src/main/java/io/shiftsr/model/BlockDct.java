package io.shiftsr.model;

import io.shiftsr.engine.Tensor;

/**
 * Orthonormal 8x8 blockwise DCT-II of every channel, as a fixed 64-filter stride-8 convolution and its
 * transpose (DESIGN.md section 6: cheaper than a global DCT and independent of the tile size).
 * Coefficients come out as (B, C, 64, H/8, W/8), frequency index u*8+v.
 */
public final class BlockDct {
    public static final int N = 8;
    private final Tensor filters; // (64, 1, 8, 8)

    public BlockDct() {
        float[] f = new float[N * N * N * N];
        for (int u = 0; u < N; u++) {
            for (int v = 0; v < N; v++) {
                for (int y = 0; y < N; y++) {
                    for (int x = 0; x < N; x++) {
                        f[((u * N + v) * N + y) * N + x] = (float) (basis(u, y) * basis(v, x));
                    }
                }
            }
        }
        this.filters = Tensor.of(f, N * N, 1, N, N).persistent();
    }

    /** Orthonormal DCT-II basis value c(k) cos(pi (2n+1) k / 2N). */
    static double basis(int k, int n) {
        double c = k == 0 ? Math.sqrt(1.0 / N) : Math.sqrt(2.0 / N);
        return c * Math.cos(Math.PI * (2 * n + 1) * k / (2.0 * N));
    }

    /** (B, C, H, W) with H, W multiples of 8 -> (B, C, 64, H/8, W/8). */
    public Tensor forward(Tensor x) {
        long b = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        return x.reshape(b * c, 1, h, w).conv2d(filters, null, N, 0, 1).view(b, c, N * N, h / N, w / N);
    }

    /** Inverse of {@link #forward}: (B, C, 64, h, w) -> (B, C, 8h, 8w). */
    public Tensor inverse(Tensor coeffs) {
        long b = coeffs.size(0), c = coeffs.size(1), h = coeffs.size(3), w = coeffs.size(4);
        return coeffs.reshape(b * c, N * N, h, w).convTranspose2d(filters, null, N, 0, 1).view(b, c, h * N, w * N);
    }
}
