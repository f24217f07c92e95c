package io.shiftsr.cli;

import io.shiftsr.engine.Engine;
import io.shiftsr.image.Image;
import io.shiftsr.image.ImageWriting;
import io.shiftsr.image.InputFiles;
import io.shiftsr.image.MatlabBicubic;
import io.shiftsr.image.SideBySide;
import io.shiftsr.inference.DiffusionUpscaler;
import io.shiftsr.inference.UpscaleOptions;
import io.shiftsr.sr.ShiftSrModel;
import io.shiftsr.weights.ModelFiles;
import io.shiftsr.weights.WeightsException;
import java.util.List;
import io.shiftsr.upscale.Upscaler;
import io.shiftsr.upscale.Upscalers;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shiftsr upscale}: super-resolve images with a chosen method (see {@link Upscalers}). */
@Command(name = "upscale",
        description = {"Upscale images.",
                "Outputs are DIR/<input base name>.png; existing outputs are kept unless --overwrite."})
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
            description = "deltadiff (no noise, most faithful) or resshift (noise, sharper textures). Default: ${DEFAULT-VALUE}.")
    String process;

    @Option(names = "--steps", paramLabel = "N",
            description = "Network evaluations (respaced from the trained schedule). Default: the model's (2 for the bundled one).")
    Integer stepsOption;

    /** --steps, or the model's default step count. */
    private int steps;
    private ShiftSrModel.Process preset;

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

    @Option(names = "--max-memory", defaultValue = "2048", paramLabel = "MB",
            description = "Memory budget of one tile's network pass, in MB. Default: ${DEFAULT-VALUE}.")
    long maxMemoryMb;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "Compute threads; 0 = all cores.")
    int threads;

    @Option(names = "--compare", description = "Also write DIR/<name>_compare.png: bicubic | result side by side.")
    boolean compare;

    static final String DIFFUSION = "shiftsr";

    private Upscaler upscaler;

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
        Threads.check(this, threads);
        try {
            preset = ShiftSrModel.Process.parse(process);
        } catch (IllegalArgumentException e) {
            usageError("--" + e.getMessage());
        }
        if (stepsOption != null && stepsOption < 1) {
            usageError("--steps must be >= 1");
        }
        if (scale > 4 && method.equals(DIFFUSION)) {
            usageError("--scale must be at most 4 for the diffusion model");
        }
        if (method.equals(DIFFUSION)) {
            upscaler = diffusion(); // before any input is read: a bad model or --steps fails once, not per file
        } else if (!Upscalers.names().contains(method)) {
            usageError("unknown --method '" + method + "' (available: " + DIFFUSION + ", " + String.join(", ", Upscalers.names()) + ")");
        }
    }

    @Override
    protected List<Path> outputsOf(Path input) {
        if (!compare) {
            return super.outputsOf(input);
        }
        return List.of(super.outputsOf(input).get(0), out.resolve(InputFiles.baseName(input) + "_compare.png"));
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
        int outW = MatlabBicubic.outputSize(lr.width(), scale);
        int outH = MatlabBicubic.outputSize(lr.height(), scale);
        checkOutputSize(input, outW, outH);
        if (upscaler == null) { // the diffusion upscaler was made in validate()
            upscaler = Upscalers.create(method);
        }
        // Methods see colour only; alpha is plain bicubic whatever the method (models know nothing of alpha).
        Image up;
        if (upscaler instanceof DiffusionUpscaler d) {
            // A bar over network calls (tiles x steps) of this image: large images take minutes.
            int calls = d.tileCount(outW, outH) * steps;
            try (Progress bar = new Progress(InputFiles.baseName(input), calls, quiet || calls < 4)) {
                up = d.upscale(lr.withoutAlpha(), scale, n -> bar.step());
            }
        } else {
            up = upscaler.upscale(lr.withoutAlpha(), scale);
        }
        if (lr.hasAlpha()) {
            Image alpha = MatlabBicubic.resize(Image.of(lr.width(), lr.height(), lr.alpha()),
                    up.width(), up.height(), scale);
            up = up.withAlpha(alpha.plane(0));
        }
        up = up.withSourceBitDepth(lr.sourceBitDepth());
        if (compare) {
            Image bicubic = MatlabBicubic.resize(lr.withoutAlpha(), up.width(), up.height(), scale).quantize8();
            Image side = SideBySide.row(List.of(bicubic, up.withoutAlpha().quantize8()),
                    List.of("bicubic", method.equals(DIFFUSION) ? "ShiftSR " + process + " " + steps + " steps" : method), 8);
            ImageWriting.write(side, outputsOf(input).get(1));
        }
        return up;
    }

    /**
     * The model's output goes straight from the tiles into the PNG encoder, a band at a time, so memory does not
     * grow with the output (DiffusionUpscaler.rows). Alpha, 16-bit output and --compare need the whole image:
     * those take the plain path.
     */
    @Override
    protected void processTo(Path input, Image lr, Path target) {
        if (!(upscaler instanceof DiffusionUpscaler d) || lr.hasAlpha() || compare || lr.sourceBitDepth() == 16) {
            super.processTo(input, lr, target);
            return;
        }
        int outW = MatlabBicubic.outputSize(lr.width(), scale);
        int outH = MatlabBicubic.outputSize(lr.height(), scale);
        checkOutputSize(input, outW, outH);
        int calls = d.tileCount(outW, outH) * steps;
        try (Progress bar = new Progress(InputFiles.baseName(input), calls, quiet || calls < 4)) {
            DiffusionUpscaler.RowStream rows = d.rows(lr, scale, n -> bar.step());
            boolean gray = lr.isGray();
            ImageWriting.writePngRows(target, outW, outH, gray ? 1 : 3, y -> {
                float[][] rgb = rows.row(y);
                if (!gray) {
                    return rgb;
                }
                float[] g = new float[outW];
                for (int x = 0; x < outW; x++) {
                    g[x] = (rgb[0][x] + rgb[1][x] + rgb[2][x]) / 3f;
                }
                return new float[][] {g};
            });
        }
    }

    private Upscaler diffusion() {
        Path file = model != null ? model : DefaultModel.path();
        Engine.init(threads);
        ShiftSrModel m;
        try {
            m = ModelFiles.load(file);
            m.requireScale(scale);
        } catch (WeightsException e) {
            throw new CliException(ExitCode.BAD_INPUT, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.BAD_INPUT, file + ": " + e.getMessage());
        }
        steps = stepsOption != null ? stepsOption : m.defaultSteps();
        if (steps > m.schedule().steps()) {
            usageError("--steps must be at most " + m.schedule().steps() + " for this model");
        }
        double k = preset == ShiftSrModel.Process.DELTADIFF ? 0 : kappa != null ? kappa : m.kappa(preset);
        return new DiffusionUpscaler(m, new UpscaleOptions(k, steps, seed, tile, overlap, maxMemoryMb << 20));
    }
}
