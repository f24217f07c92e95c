package io.shiftsr.inference;

import io.shiftsr.sr.Denoise;

/**
 * How to run the diffusion upscaler.
 *
 * @param kappa        noise strength: 0 = DeltaDiff (deterministic), > 0 = ResShift
 * @param steps        network evaluations (respaced from the trained schedule)
 * @param seed         seed of the sampling noise (ResShift only)
 * @param tile         latent tile size, 0 = choose from maxMemoryBytes
 * @param overlap      latent overlap between tiles, -1 = default (a quarter of the tile)
 * @param maxMemoryBytes native memory budget for one tile's forward pass
 * @param ensemble     members of the geometric self-ensemble ({@link GeometricEnsemble}: 1, 2, 4 or 8), each a
 *                     full sampling run
 * @param denoise      how degraded the model is told the input is (a degradation-aware model only)
 */
public record UpscaleOptions(double kappa, int steps, long seed, int tile, int overlap, long maxMemoryBytes,
        int ensemble, Denoise denoise) {
    /** 512 MB: a 2048x2048 -> 8192x8192 upscale peaks at 2.6 GB resident with it, 5.1 GB with 2 GB (docs/RELIABILITY.md). */
    public static final long DEFAULT_MAX_MEMORY = 512L << 20;

    public UpscaleOptions {
        GeometricEnsemble.check(ensemble);
        denoise = denoise == null ? Denoise.AUTO : denoise;
    }

    /** Without a denoise choice: auto. */
    public UpscaleOptions(double kappa, int steps, long seed, int tile, int overlap, long maxMemoryBytes, int ensemble) {
        this(kappa, steps, seed, tile, overlap, maxMemoryBytes, ensemble, Denoise.AUTO);
    }

    public static UpscaleOptions deltaDiff(int steps) {
        return new UpscaleOptions(0, steps, 0, 0, -1, DEFAULT_MAX_MEMORY, 1);
    }

    public UpscaleOptions withTile(int tileSize, int tileOverlap) {
        return new UpscaleOptions(kappa, steps, seed, tileSize, tileOverlap, maxMemoryBytes, ensemble, denoise);
    }

    public UpscaleOptions withEnsemble(int members) {
        return new UpscaleOptions(kappa, steps, seed, tile, overlap, maxMemoryBytes, members, denoise);
    }

    public UpscaleOptions withDenoise(Denoise d) {
        return new UpscaleOptions(kappa, steps, seed, tile, overlap, maxMemoryBytes, ensemble, d);
    }
}
