package io.shiftsr.sr;

import java.util.Arrays;

/**
 * How one upscale samples: the one immutable value the diffusion upscaler consumes. Every front end's choices
 * (the facade's {@code ShiftSr.Settings}, the web app's request, the Spark job's settings, eval's settings, the
 * command line's options) map onto it, and the model resolves their defaults and checks them against what it was
 * trained for ({@link ShiftSrModel#sampling}). The limits that do not depend on a model live here, once.
 *
 * <p>To add an option: a component here with its check in the constructor, its default and model check in
 * {@link ShiftSrModel#sampling}, and one line in each front end's mapping (docs/DESIGN.md section 12b).
 *
 * @param kappa          noise strength: 0 = DeltaDiff (deterministic), > 0 = ResShift
 * @param steps          network evaluations (respaced from the trained schedule), 1..T
 * @param seed           seed of the sampling noise (ResShift only)
 * @param tile           latent tile size, 0 = choose from maxMemoryBytes
 * @param overlap        latent overlap between tiles, -1 = default (a quarter of the tile)
 * @param maxMemoryBytes native memory budget for one tile's forward pass
 * @param ensemble       members of the geometric self-ensemble ({@link #ENSEMBLE_SIZES}), each a full sampling run
 * @param denoise        how degraded the model is told the input is (a degradation-aware model only)
 */
public record Sampling(double kappa, int steps, long seed, int tile, int overlap, long maxMemoryBytes,
        int ensemble, Denoise denoise) {
    /** 512 MB: a 2048x2048 -> 8192x8192 upscale peaks at 2.6 GB resident with it, 5.1 GB with 2 GB (docs/RELIABILITY.md). */
    public static final long DEFAULT_MAX_MEMORY = 512L << 20;
    /** The largest scale a diffusion model serves; a model may be trained for less ({@link ShiftSrModel.ScaleRange}). */
    public static final double MAX_SCALE = 4;
    /** Self-ensemble member counts: the identity alone, the flips, the flips of the tile and of its transpose. */
    public static final int[] ENSEMBLE_SIZES = {1, 2, 4, 8};

    public Sampling {
        checkEnsemble(ensemble);
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        if (!(kappa >= 0 && kappa < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("kappa must be a number >= 0, got " + kappa);
        }
        denoise = denoise == null ? Denoise.AUTO : denoise;
    }

    /** Without a denoise choice: auto. */
    public Sampling(double kappa, int steps, long seed, int tile, int overlap, long maxMemoryBytes, int ensemble) {
        this(kappa, steps, seed, tile, overlap, maxMemoryBytes, ensemble, Denoise.AUTO);
    }

    /** DeltaDiff at {@code steps}, automatic tiles, no ensemble. */
    public static Sampling deltaDiff(int steps) {
        return new Sampling(0, steps, 0, 0, -1, DEFAULT_MAX_MEMORY, 1);
    }

    public Sampling withTile(int tileSize, int tileOverlap) {
        return new Sampling(kappa, steps, seed, tileSize, tileOverlap, maxMemoryBytes, ensemble, denoise);
    }

    public Sampling withEnsemble(int members) {
        return new Sampling(kappa, steps, seed, tile, overlap, maxMemoryBytes, members, denoise);
    }

    public Sampling withDenoise(Denoise d) {
        return new Sampling(kappa, steps, seed, tile, overlap, maxMemoryBytes, ensemble, d);
    }

    /** True if {@code n} is one of {@link #ENSEMBLE_SIZES}. */
    public static boolean isEnsembleSize(int n) {
        return Arrays.stream(ENSEMBLE_SIZES).anyMatch(s -> s == n);
    }

    /** The one wording of a refused ensemble size, for callers that prefix an option name or add a hint. */
    public static String ensembleError(int n) {
        return "ensemble must be 1, 2, 4 or 8, got " + n;
    }

    /** Returns {@code n}; throws unless it is one of {@link #ENSEMBLE_SIZES}. */
    public static int checkEnsemble(int n) {
        if (!isEnsembleSize(n)) {
            throw new IllegalArgumentException(ensembleError(n));
        }
        return n;
    }

    /** Refuses a scale outside (1, {@link #MAX_SCALE}], the range any diffusion upscale takes. */
    public static void checkScale(double scale) {
        if (!(scale > 1 && scale <= MAX_SCALE)) {
            throw new IllegalArgumentException("scale must be in (1, 4], got " + scale);
        }
    }
}
