package io.shiftsr.inference;

/**
 * How to run the diffusion upscaler.
 *
 * @param kappa        noise strength: 0 = DeltaDiff (deterministic), > 0 = ResShift
 * @param steps        network evaluations (respaced from the trained schedule)
 * @param seed         seed of the sampling noise (ResShift only)
 * @param tile         latent tile size, 0 = choose from maxMemoryBytes
 * @param overlap      latent overlap between tiles, -1 = default (a quarter of the tile)
 * @param maxMemoryBytes native memory budget for one tile's forward pass
 */
public record UpscaleOptions(double kappa, int steps, long seed, int tile, int overlap, long maxMemoryBytes) {
    public static final long DEFAULT_MAX_MEMORY = 2L << 30;

    public static UpscaleOptions deltaDiff(int steps) {
        return new UpscaleOptions(0, steps, 0, 0, -1, DEFAULT_MAX_MEMORY);
    }

    public UpscaleOptions withTile(int tileSize, int tileOverlap) {
        return new UpscaleOptions(kappa, steps, seed, tileSize, tileOverlap, maxMemoryBytes);
    }
}
