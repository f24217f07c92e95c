package io.shiftsr.sr;

import io.shiftsr.diffusion.Denoiser;
import io.shiftsr.diffusion.ResidualShiftProcess;
import io.shiftsr.diffusion.Schedule;
import io.shiftsr.engine.Tensor;
import io.shiftsr.latent.LatentCodec;
import io.shiftsr.latent.UnshuffleCodec;
import io.shiftsr.model.SrNetwork;
import io.shiftsr.model.ModelConfig;
import java.util.Arrays;
import java.util.Locale;

/**
 * A ShiftSR model: the network, the schedule it was trained with, its latent codec, the scales it was trained
 * for, its default step count and the two process presets. It sits above the network (which knows nothing of
 * diffusion) and the process (which knows nothing of the network's insides) and joins them: it predicts
 * x0_hat = y0 + f(x_t, y0, t, s) (DESIGN.md section 4). Every command, the web app and training use this one
 * type; {@link #create} is the one place a model is built from a config.
 */
public final class ShiftSrModel {
    /**
     * How an upscale is made: the two processes one model serves (DESIGN.md section 4), or bicubic, the
     * baseline every front end offers under this one name.
     */
    public enum Process {
        /** Noise-free (kappa = 0): the most faithful output. */
        DELTADIFF,
        /** With the trained noise strength kappa: sharper textures, stochastic. */
        RESSHIFT,
        /** MATLAB bicubic, no network: the baseline. */
        BICUBIC;

        /** "deltadiff", "resshift" or "bicubic", any case; anything else is an IllegalArgumentException. */
        public static Process parse(String name) {
            for (Process p : values()) {
                if (p.id().equals(name.trim().toLowerCase(Locale.ROOT))) {
                    return p;
                }
            }
            throw new IllegalArgumentException("process must be deltadiff, resshift or bicubic, got '" + name + "'");
        }

        /** Whether this runs the network (DeltaDiff or ResShift), not bicubic. */
        public boolean diffusion() {
            return this != BICUBIC;
        }

        /** The name used on the command line, in reports and in the API. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The scales a model serves, min &lt;= s &lt;= max; min 1 means every scale in (1, max]. */
    public record ScaleRange(double min, double max) {
        /** What a model that does not say serves: any scale the upscaler takes. */
        public static final ScaleRange ANY = new ScaleRange(1, Sampling.MAX_SCALE);

        public ScaleRange {
            if (!(min >= 1 && min <= max && max <= 16)) {
                throw new IllegalArgumentException("trained scale range " + min + "-" + max + " is not within 1-16");
            }
        }

        public boolean contains(double s) {
            return s > 1 && s >= min - 1e-9 && s <= max + 1e-9;
        }

        @Override
        public String toString() {
            return min == 1 ? "(1, " + fmt(max) + "]" : min == max ? fmt(min) : fmt(min) + "-" + fmt(max);
        }
    }

    private final SrNetwork net;
    private final Schedule schedule;
    private final LatentCodec codec;
    private final ScaleRange trainedScales;
    private final int defaultSteps;
    private final int defaultEnsemble;
    /** A second network for clean inputs (degradation level 0), or null: see {@link #withCleanNetwork}. */
    private final SrNetwork cleanNet;
    private final java.util.Map<String, String> metadata;

    public ShiftSrModel(SrNetwork net, Schedule schedule, LatentCodec codec) {
        this(net, schedule, codec, ScaleRange.ANY, Math.min(2, schedule.steps()), 1);
    }

    /**
     * @param defaultSteps    DeltaDiff steps when none are asked for
     * @param defaultEnsemble geometric self-ensemble members when none are asked for (1, 2, 4 or 8)
     */
    public ShiftSrModel(SrNetwork net, Schedule schedule, LatentCodec codec, ScaleRange trainedScales,
            int defaultSteps, int defaultEnsemble) {
        this(net, schedule, codec, trainedScales, defaultSteps, defaultEnsemble, null, java.util.Map.of());
    }

    private ShiftSrModel(SrNetwork net, Schedule schedule, LatentCodec codec, ScaleRange trainedScales,
            int defaultSteps, int defaultEnsemble, SrNetwork cleanNet, java.util.Map<String, String> metadata) {
        if (net.config().latentChannels() != codec.channels()) {
            throw new IllegalArgumentException("network expects " + net.config().latentChannels()
                    + " latent channels but codec " + codec.name() + " makes " + codec.channels());
        }
        if (defaultSteps < 1 || defaultSteps > schedule.steps()) {
            throw new IllegalArgumentException("default steps must be in 1.." + schedule.steps() + ", got " + defaultSteps);
        }
        this.net = net;
        this.schedule = schedule;
        this.codec = codec;
        this.trainedScales = trainedScales;
        this.defaultSteps = defaultSteps;
        this.defaultEnsemble = Sampling.checkEnsemble(defaultEnsemble);
        if (cleanNet != null && (!net.config().degradationEmbed() || cleanNet.config().degradationEmbed()
                || cleanNet.config().latentChannels() != codec.channels())) {
            throw new IllegalArgumentException("a clean network goes with a degradation-aware one, and is not"
                    + " degradation-aware itself");
        }
        this.cleanNet = cleanNet;
        this.metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }

    /** The same model described by a model file's metadata ({@link ModelFiles#load}). */
    ShiftSrModel withMetadata(java.util.Map<String, String> fileMetadata) {
        return new ShiftSrModel(net, schedule, codec, trainedScales, defaultSteps, defaultEnsemble, cleanNet, fileMetadata);
    }

    /** The metadata of the file the model was loaded from (empty for a model built in memory). */
    public java.util.Map<String, String> metadata() {
        return metadata;
    }

    /**
     * This degradation-aware model with a second network that serves clean inputs (degradation level 0: a
     * lossless input without JPEG traces, or --denoise off), trained on clean data only. The real-photo
     * fine-tune of a clean model stays behind that model on clean inputs (models/MODEL_CARD.md), so the file
     * carries both and each input goes to the one trained for it. Same schedule and codec.
     */
    public ShiftSrModel withCleanNetwork(SrNetwork clean) {
        return new ShiftSrModel(net, schedule, codec, trainedScales, defaultSteps, defaultEnsemble, clean, metadata);
    }

    /** The network serving clean inputs, or null when the main network serves every level. */
    public SrNetwork cleanNetwork() {
        return cleanNet;
    }

    /** A freshly initialised model of this shape in the pixel-unshuffle latent: training, export, bench. */
    public static ShiftSrModel create(ModelConfig config, Schedule schedule, long seed) {
        return new ShiftSrModel(new SrNetwork(config, seed), schedule, new UnshuffleCodec());
    }

    /** The same network and schedule, described as trained for {@code scales} and run at {@code steps}. */
    public ShiftSrModel trainedFor(ScaleRange scales, int steps) {
        return new ShiftSrModel(net, schedule, codec, scales, steps, defaultEnsemble, cleanNet, metadata);
    }

    /** The same network, run by default at {@code steps} DeltaDiff steps and {@code ensemble} members. */
    public ShiftSrModel withDefaults(int steps, int ensemble) {
        return new ShiftSrModel(net, schedule, codec, trainedScales, steps, ensemble, cleanNet, metadata);
    }

    /**
     * Converts the network's weights to {@code p} in place (BF16: bfloat16, convolutions channels-last), for
     * inference only: training keeps fp32. Returns the precision now in use. Going back to FP32 is exact: the
     * fp32 weights are kept while the model runs in bf16 (2.8 MB for the default model).
     */
    public synchronized io.shiftsr.engine.Precision toPrecision(io.shiftsr.engine.Precision p) {
        io.shiftsr.engine.Precision target = p.resolve();
        if (target != precision) {
            java.util.Map<String, Tensor> params = allParameters();
            if (precision == io.shiftsr.engine.Precision.FP32) {
                fp32Weights = new java.util.HashMap<>();
                params.forEach((name, w) -> fp32Weights.put(name, w.detach().copy().persistent()));
            }
            params.values().forEach(w -> w.convertInPlace(target));
            if (target == io.shiftsr.engine.Precision.FP32 && fp32Weights != null) {
                params.forEach((name, w) -> w.copyFrom(fp32Weights.get(name)));
                fp32Weights = null;
            }
            precision = target;
        }
        return precision;
    }

    /** The parameters of every network the model runs (the clean one's under "clean/"). */
    private java.util.Map<String, Tensor> allParameters() {
        java.util.Map<String, Tensor> all = new java.util.LinkedHashMap<>(net.namedParameters());
        if (cleanNet != null) {
            cleanNet.namedParameters().forEach((n, t) -> all.put(CLEAN_PREFIX + n, t));
        }
        return all;
    }

    /** Name prefix of the clean network's tensors in a model file. */
    public static final String CLEAN_PREFIX = "clean/";

    /** The precision the weights are in (FP32 unless {@link #toPrecision} changed it). */
    public io.shiftsr.engine.Precision precision() {
        return precision;
    }

    /** Frees the weights now (and the kept fp32 copy); the model is unusable afterwards. */
    public synchronized void release() {
        allParameters().values().forEach(Tensor::release);
        if (fp32Weights != null) {
            fp32Weights.values().forEach(Tensor::release);
            fp32Weights = null;
        }
    }

    private java.util.Map<String, Tensor> fp32Weights; // while in bf16: the exact fp32 weights to go back to
    private io.shiftsr.engine.Precision precision = io.shiftsr.engine.Precision.FP32;

    public SrNetwork net() {
        return net;
    }

    public Schedule schedule() {
        return schedule;
    }

    public LatentCodec codec() {
        return codec;
    }

    public ScaleRange trainedScales() {
        return trainedScales;
    }

    /** DeltaDiff steps when none are asked for (the step count the model was validated and shipped at). */
    public int defaultSteps() {
        return defaultSteps;
    }

    /**
     * Self-ensemble members when none are asked for: 1 (none), or e.g. 2 for a model whose second DeltaDiff step
     * gains less than a second, mirrored run of its first (models/MODEL_CARD.md).
     */
    public int defaultEnsemble() {
        return defaultEnsemble;
    }

    /** FLOPs per output pixel at the default setting: one network call per step and ensemble member. */
    public double defaultFlopsPerOutputPixel() {
        return flopsPerOutputPixel() * defaultSteps * defaultEnsemble;
    }

    /**
     * Refuses a scale the model was not trained for: a model trained at x4 only over-sharpens grossly at x2
     * (measured: 15 dB PSNR-Y against bicubic's 31), so it must not be used there silently.
     */
    public void requireScale(double scale) {
        if (!trainedScales.contains(scale)) {
            throw new IllegalArgumentException("this model was trained for scales " + trainedScales + " only, not "
                    + fmt(scale) + " (use --method bicubic or a model trained on that scale)");
        }
    }

    /** Noise strength of a process preset: 0 for DeltaDiff, the trained kappa for ResShift. */
    public double kappa(Process p) {
        return p == Process.RESSHIFT ? schedule.kappa() : 0;
    }

    /**
     * The sampling value for a request, its defaults resolved and checked against this model: steps 0 is the
     * model's default and at most T; kappa NaN is the process's (DeltaDiff has none); ensemble 0 is the model's
     * default. Throws IllegalArgumentException naming the limit.
     */
    public Sampling sampling(Process process, int steps, double kappa, long seed, int tile, int overlap,
            long maxMemoryBytes, int ensemble, Denoise denoise) {
        if (!process.diffusion()) {
            throw new IllegalArgumentException("bicubic runs no model");
        }
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 1 (or 0 for the model's default)");
        }
        int n = steps > 0 ? steps : defaultSteps;
        if (n > schedule.steps()) {
            throw new IllegalArgumentException("steps must be at most " + schedule.steps() + " for this model");
        }
        double k = process == Process.DELTADIFF ? 0 : Double.isNaN(kappa) ? kappa(process) : kappa;
        int e = ensemble == 0 ? defaultEnsemble : Sampling.checkEnsemble(ensemble); // refuses a negative count too
        return new Sampling(k, n, seed, tile, overlap, maxMemoryBytes, e, denoise);
    }

    /** The process with the trained schedule but noise strength {@code kappa} (0 = DeltaDiff). */
    public ResidualShiftProcess process(double kappa) {
        return new ResidualShiftProcess(schedule.withKappa(kappa));
    }

    /** Latent sizes must be multiples of this; image sizes of this times the codec factor. */
    public int latentMultiple() {
        return net.config().sizeMultiple();
    }

    /** FLOPs per output pixel of one network call (2 per multiply-accumulate). */
    public double flopsPerOutputPixel() {
        int f = codec.factor();
        long macs = cleanNet == null ? net.macsPerLatentPixel()
                : Math.max(net.macsPerLatentPixel(), cleanNet.macsPerLatentPixel()); // one of the two runs per input
        return 2.0 * macs / (f * f);
    }

    /** The denoiser the reverse chain calls when upscaling a clean input by {@code scale}. */
    public Denoiser denoiser(double scale) {
        return denoiser(scale, 0);
    }

    /**
     * The denoiser the reverse chain calls when upscaling by {@code scale} an input of degradation level
     * {@code level} ({@link DegradationLevel}; ignored by a model without the degradation embedding).
     */
    public Denoiser denoiser(double scale, double level) {
        DegradationLevel.check(level);
        // Level 0 with a clean network: that network, told nothing of degradation (the clean model bit for bit).
        SrNetwork runs = level == 0 && cleanNet != null ? cleanNet : net;
        return (scaledXt, y0, t) -> {
            int b = (int) y0.size(0);
            int[] ts = new int[b];
            float[] scales = new float[b];
            float[] levels = new float[b];
            Arrays.fill(ts, t);
            Arrays.fill(scales, (float) scale);
            Arrays.fill(levels, (float) level);
            return predictX0(runs, scaledXt, y0, ts, scales, runs == cleanNet ? null : levels);
        };
    }

    /** Whether the network is told the input's degradation level (a real-photo model). */
    public boolean degradationAware() {
        return net.config().degradationEmbed();
    }

    /**
     * x0_hat = y0 + f(scaled x_t, y0, t / T, s), one time step and scale per sample (training draws them per
     * sample). {@code scale} may be null for a network without the scale embedding.
     */
    public Tensor predictX0(Tensor scaledXt, Tensor y0, int[] t, float[] scale) {
        return predictX0(scaledXt, y0, t, scale, null);
    }

    /** As {@link #predictX0(Tensor, Tensor, int[], float[])} with a degradation level per sample (null: clean). */
    public Tensor predictX0(Tensor scaledXt, Tensor y0, int[] t, float[] scale, float[] degradation) {
        return predictX0(net, scaledXt, y0, t, scale, degradation);
    }

    private Tensor predictX0(SrNetwork n, Tensor scaledXt, Tensor y0, int[] t, float[] scale, float[] degradation) {
        float[] time = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            time[i] = (float) t[i] / schedule.steps();
        }
        return y0.add(n.forward(scaledXt, y0, time, scale, degradation));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
