package io.shiftsr.cli;

import io.shiftsr.ShiftSr;
import io.shiftsr.engine.Engine;
import io.shiftsr.image.Image;
import io.shiftsr.image.ImageReading;
import io.shiftsr.image.ImageWriting;
import io.shiftsr.image.InputFiles;
import io.shiftsr.image.MatlabBicubic;
import io.shiftsr.image.SideBySide;
import io.shiftsr.sr.DegradationLevel;
import io.shiftsr.sr.Denoise;
import io.shiftsr.sr.ShiftSrModel;
import io.shiftsr.upscale.Upscalers;
import io.shiftsr.weights.WeightsException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shiftsr upscale}: super-resolve images with a chosen method (see {@link Upscalers}). */
@Command(name = "upscale",
        description = {"Upscale images.",
                "Outputs are DIR/<input base name><suffix>.<format> (--recursive mirrors folders); existing outputs are"
                        + " kept unless --overwrite. ICC profile, EXIF and XMP are carried over."})
final class UpscaleCommand extends ImageBatchCommand {
    @Option(names = {"-s", "--scale"}, defaultValue = "4", paramLabel = "S",
            description = "Upscale factor (> 0, any real). Default: ${DEFAULT-VALUE}.")
    double scale;

    @Option(names = {"-m", "--method"}, defaultValue = DIFFUSION, paramLabel = "NAME",
            description = "Upscaling method: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.",
            completionCandidates = MethodNames.class)
    String method;

    @Option(names = "--model", paramLabel = "FILE",
            description = "Model file for --method shiftsr. Default: the bundled " + DefaultModel.FILE + ".")
    Path model;

    @Option(names = "--process", defaultValue = "deltadiff", paramLabel = "P",
            converter = OptionConverters.ProcessConverter.class,
            description = "deltadiff (no noise, most faithful), resshift (noise, sharper textures) or bicubic (no model,"
                    + " as --method bicubic). Default: ${DEFAULT-VALUE}.")
    ShiftSrModel.Process process;

    @Option(names = "--steps", paramLabel = "N",
            description = "Network evaluations (respaced from the trained schedule). Default: the model's (1 for the bundled one).")
    Integer stepsOption;

    /** --steps and --ensemble, or the model's defaults. */
    private int steps, members;

    @Option(names = "--ensemble", paramLabel = "N",
            description = "Geometric self-ensemble: average N runs on flipped/transposed inputs (1, 2, 4 or 8; N times"
                    + " the time). Default: the model's.")
    Integer ensemble;

    @Option(names = "--denoise", defaultValue = "auto", paramLabel = "LEVEL",
            converter = OptionConverters.DenoiseConverter.class,
            description = "Compression and noise to remove: auto (a JPEG's quality read from the file; other files"
                    + " get the quality their pixels show, if they were a JPEG once), off (treat the input as clean), low, medium or high"
                    + " (as a JPEG of quality 90, 70, 40). Default: ${DEFAULT-VALUE}.")
    Denoise denoise;

    @Option(names = "--kappa", paramLabel = "K", description = "Noise strength for resshift. Default: the model's.")
    Double kappa;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N", description = "Seed of the resshift noise.")
    long seed;

    @Option(names = "--tile", defaultValue = "0", paramLabel = "N",
            description = "Tile side in latent pixels (output/4); 0 = from --max-memory.")
    int tile;

    @Option(names = "--overlap", defaultValue = "-1", paramLabel = "N",
            description = "Tile overlap in latent pixels; -1 = a quarter of the tile.")
    int overlap;

    @Option(names = "--max-memory", defaultValue = "512", paramLabel = "MB",
            description = "Memory budget of one tile's network pass, in MB. Default: ${DEFAULT-VALUE}.")
    long maxMemoryMb;

    @picocli.CommandLine.Mixin
    Threads threadsOption = new Threads();
    private int threads;

    @picocli.CommandLine.Mixin
    PrecisionOption precision = new PrecisionOption();

    @Option(names = {"-j", "--jobs"}, defaultValue = "0", paramLabel = "N",
            description = "Images upscaled at once in a run of several, each on cores/N compute threads (or --threads)."
                    + " 0 = automatic: 2 on a machine of 2 or more cores when every output is at most 4096x4096"
                    + " pixels (one image's decode, y0 and PNG then run beside the other's network instead of idling"
                    + " a core), else 1. Each job holds its own tile pass (--max-memory). Default: ${DEFAULT-VALUE}.")
    int jobsOption;

    /** Inputs in work at once (set when the inputs are listed). */
    private int jobs = 1;

    @Option(names = "--compare", description = "Also write DIR/<name>_compare.png: bicubic | result side by side.")
    boolean compare;

    static final String DIFFUSION = "shiftsr";

    private ShiftSr sr;

    /** Lists the registered methods for the help text. */
    static final class MethodNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            List<String> all = new java.util.ArrayList<>(List.of(DIFFUSION));
            all.addAll(Upscalers.names());
            return all.iterator();
        }
    }

    /** Scales outside this range make kernels or outputs of absurd size (--scale 1e-8 grew to 8 GB). */
    static final double MIN_SCALE = 1.0 / 16, MAX_SCALE = 16;

    @Override
    protected void validate() {
        if (!(scale >= MIN_SCALE && scale <= MAX_SCALE)) {
            usageError("--scale must be a number from 1/16 to 16, got " + scale);
        }
        if (kappa != null && !(kappa >= 0 && kappa <= 100)) {
            usageError("--kappa must be a number from 0 to 100, got " + kappa);
        }
        if (tile < 0 || tile > 4096 || (tile > 0 && tile < 8)) {
            usageError("--tile must be 0 (from --max-memory) or 8 to 4096 latent pixels, got " + tile);
        }
        if (overlap < -1 || overlap > 1024) {
            usageError("--overlap must be -1 (a quarter of the tile) or 0 to 1024, got " + overlap);
        }
        if (maxMemoryMb < 1 || maxMemoryMb > (1L << 20)) {
            usageError("--max-memory must be 1 to 1048576 MB, got " + maxMemoryMb);
        }
        threads = threadsOption.get(this);
        int cores = Runtime.getRuntime().availableProcessors();
        if (jobsOption < 0 || jobsOption > cores) {
            usageError("--jobs must be 0 (automatic) to " + cores + " (this machine's logical CPUs), got " + jobsOption);
        }
        if (jobsOption > 0 && threads > 0 && (long) jobsOption * threads > cores) {
            usageError("--jobs " + jobsOption + " x --threads " + threads + " is more compute threads than this"
                    + " machine's " + cores + " logical CPUs (each job runs its own)");
        }
        if (!process.diffusion()) {
            method = process.id(); // bicubic has one name: --process bicubic is --method bicubic
        }
        if (stepsOption != null && stepsOption < 1) {
            usageError("--steps must be >= 1");
        }
        if (ensemble != null && !io.shiftsr.sr.Sampling.isEnsembleSize(ensemble)) {
            usageError("--" + io.shiftsr.sr.Sampling.ensembleError(ensemble));
        }
        // Not the model's "trained for scales [4.0] only": no model upscales by 1 or less (exit 3 blamed the file).
        if (scale <= 1 && method.equals(DIFFUSION)) {
            usageError("--scale must be above 1 for the diffusion model, got " + scale
                    + " (use --method bicubic to resize otherwise)");
        }
        if (scale > io.shiftsr.sr.Sampling.MAX_SCALE && method.equals(DIFFUSION)) {
            usageError("--scale must be at most " + (int) io.shiftsr.sr.Sampling.MAX_SCALE + " for the diffusion model");
        }
        if (method.equals(DIFFUSION)) {
            sr = diffusion(); // before any input is read: a bad model or --steps fails once, not per file
        } else if (!Upscalers.names().contains(method)) {
            usageError("unknown --method '" + method + "' (available: " + DIFFUSION + ", " + String.join(", ", Upscalers.names()) + ")");
        } else {
            sr = ShiftSr.classic(method);
        }
    }

    @Override
    protected List<Path> outputsOf(Path input) {
        if (!compare) {
            return super.outputsOf(input);
        }
        return List.of(super.outputsOf(input).get(0), outputFor(input, suffix + "_compare.png"));
    }

    @Override
    protected String task() {
        return "upscale";
    }

    @Override
    protected String verb() {
        return "upscaled";
    }

    @Override
    protected Image process(Path input, Image lr) {
        checkScaleFits(input, lr.width(), lr.height());
        int[] size = ShiftSr.outputSize(lr.width(), lr.height(), scale);
        checkOutputSize(input, size[0], size[1]);
        // A bar over network calls (tiles x steps) of this image: large images take minutes.
        int calls = sr.networkCalls(lr.width(), lr.height(), scale);
        Image up;
        DegradationLevel.Reading told = sr.denoiseReading(lr);
        try (Progress bar = new Progress(InputFiles.baseName(input), calls, quiet || calls < 4 || jobs > 1)) {
            up = sr.upscale(lr, scale, told, n -> bar.step());
        }
        recordReading(input, told);
        if (compare && writes(outputsOf(input).get(1))) {
            Image bicubic = MatlabBicubic.resize(lr.withoutAlpha(), up.width(), up.height(), scale).quantize8();
            Image side = SideBySide.row(List.of(bicubic, up.withoutAlpha().quantize8()),
                    List.of("bicubic", method.equals(DIFFUSION) ? "ShiftSR " + process.id() + " " + steps + (steps == 1 ? " step" : " steps")
                            + (members > 1 ? ", ensemble " + members : "") : method), 8);
            ImageWriting.write(side, outputsOf(input).get(1), ImageWriting.DEFAULT_JPEG_QUALITY, overwrite);
        }
        return up;
    }

    /**
     * Without --compare the facade writes the file itself: an 8-bit PNG streams from the tiles into the encoder a
     * band at a time, so memory does not grow with the output (ShiftSr.upscale(Path, Path, ...)).
     */
    @Override
    protected void processTo(Path input, Path target) {
        if (compare) {
            super.processTo(input, target);
            return;
        }
        int[] dims = dimensions.containsKey(input) ? dimensions.get(input) : ImageReading.dimensions(input);
        checkScaleFits(input, dims[0], dims[1]);
        int[] size = ShiftSr.outputSize(dims[0], dims[1], scale);
        checkOutputSize(input, size[0], size[1]);
        int calls = sr.networkCalls(dims[0], dims[1], scale);
        try (Progress bar = new Progress(InputFiles.baseName(input), calls, quiet || calls < 4 || jobs > 1)) {
            recordReading(input, sr.upscale(input, target, scale, quality, maxPixels, overwrite, n -> bar.step()));
        }
        recordSize(input, size[0], size[1]);
    }

    private final Map<Path, DegradationLevel.Reading> readings = new ConcurrentHashMap<>();

    private void recordReading(Path input, DegradationLevel.Reading told) {
        if (told != null) {
            readings.put(input, told);
        }
    }

    /**
     * --jsonl's "denoise": what the model was told about the input ({@link DegradationLevel.Reading#fields}; null
     * for bicubic, a model told nothing, or an input that could not be read).
     */
    @Override
    protected Map<String, Object> jsonFields(Path input) {
        DegradationLevel.Reading r = readings.get(input);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("denoise", r == null ? null : r.fields());
        return fields;
    }

    @Override
    protected int run() {
        try {
            return super.run();
        } finally {
            if (jobs > 1) {
                Engine.setThreads(threads); // the compute threads as they were before the jobs split the cores
            }
        }
    }

    /** Largest output the automatic --jobs upscales beside another (4096 x 4096: a 1024-px photo at x4). */
    static final long SIDE_BY_SIDE_PIXELS = 4096L * 4096;

    /**
     * --jobs, or the automatic choice: with several inputs on 2 or more cores, two at a time, each on half the
     * cores (or on --threads, when two jobs of that many fit), unless an output is larger than {@link #SIDE_BY_SIDE_PIXELS} (such images keep every core, and peak
     * memory stays one image's). The compute threads per job are set here, before the first input is read.
     */
    @Override
    protected int jobs(List<Path> inputs) {
        if (!method.equals(DIFFUSION)) {
            return jobs = 1;
        }
        int cores = io.shiftsr.engine.ComputeCores.count();
        int wanted = inputs.size() < 2 ? 1 : jobsOption;
        if (wanted == 0) {
            wanted = Math.min(2, threads > 0 ? Math.max(1, cores / threads) : cores);
            if (wanted > 1 && !allOutputsAtMost(inputs, SIDE_BY_SIDE_PIXELS)) {
                wanted = 1;
            }
        }
        jobs = Math.max(1, Math.min(wanted, inputs.size()));
        // set every time: an earlier run in this JVM (bench, tests) may have left another count
        Engine.setThreads(jobs > 1 && threads == 0 ? Math.max(1, cores / jobs) : threads);
        return jobs;
    }

    /** Each input's size as {@link #allOutputsAtMost} read it from its header, so that it is read once. */
    private final Map<Path, int[]> dimensions = new ConcurrentHashMap<>();

    /** Whether every input's output at --scale is at most {@code pixels} (an unreadable input fails later, alone). */
    private boolean allOutputsAtMost(List<Path> inputs, long pixels) {
        for (Path input : inputs) {
            try {
                int[] d = ImageReading.dimensions(input);
                dimensions.put(input, d);
                int[] out = ShiftSr.outputSize(d[0], d[1], scale);
                if ((long) out[0] * out[1] > pixels) {
                    return false;
                }
            } catch (RuntimeException e) {
                // its own job reports it
            }
        }
        return true;
    }

    /** ShiftSr refuses a scale that leaves less than 1 output pixel; said here first, naming the input once. */
    private void checkScaleFits(Path input, int w, int h) {
        if (Math.min(w, h) * scale < 1) {
            throw new io.shiftsr.image.ImageException(input + ": scale " + scale + " makes less than 1 output pixel"
                    + " of a " + w + "x" + h + " image");
        }
    }

    private ShiftSr diffusion() {
        Path file = model != null ? model : DefaultModel.path();
        Engine.init(threads);
        ShiftSr loaded;
        try {
            loaded = DefaultModel.load(model, this::notice);
            loaded.requireScale(scale);
        } catch (WeightsException e) {
            throw new CliException(ExitCode.BAD_INPUT, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.BAD_INPUT, file + ": " + e.getMessage());
        }
        ShiftSr.Settings s = ShiftSr.Settings.DEFAULT.withProcess(process).withSteps(stepsOption == null ? 0 : stepsOption)
                .withSeed(seed).withTiles(tile, overlap).withMaxMemory(maxMemoryMb << 20)
                .withEnsemble(ensemble == null ? 0 : ensemble).withDenoise(denoise);
        if (kappa != null) {
            s = s.withKappa(kappa);
        }
        ShiftSr configured = null;
        try {
            configured = loaded.with(s); // the model checks the settings (steps up to its T)
        } catch (IllegalArgumentException e) {
            usageError("--" + e.getMessage());
        }
        configured.precision(precision.get(this));
        steps = configured.steps();
        members = configured.ensemble();
        return configured;
    }
}
