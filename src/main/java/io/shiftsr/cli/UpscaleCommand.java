package io.shiftsr.cli;

import io.shiftsr.engine.Engine;
import io.shiftsr.image.Image;
import io.shiftsr.image.ImageFiles;
import io.shiftsr.image.MatlabBicubic;
import io.shiftsr.image.SideBySide;
import io.shiftsr.inference.DiffusionUpscaler;
import io.shiftsr.inference.UpscaleOptions;
import io.shiftsr.model.ShiftSrModel;
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

    @Option(names = "--steps", defaultValue = "2", paramLabel = "N",
            description = "Network evaluations (respaced from the trained schedule). Default: ${DEFAULT-VALUE}.")
    int steps;

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

    @Override
    protected void validate() {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            usageError("--scale must be a positive number, got " + scale);
        }
        if (!process.equals("deltadiff") && !process.equals("resshift")) {
            usageError("--process must be deltadiff or resshift, got '" + process + "'");
        }
        if (steps < 1) {
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
            try (Progress bar = new Progress(ImageFiles.baseName(input), calls, quiet || calls < 4)) {
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
            ImageFiles.write(side, out.resolve(ImageFiles.baseName(input) + "_compare.png"));
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
        try (Progress bar = new Progress(ImageFiles.baseName(input), calls, quiet || calls < 4)) {
            DiffusionUpscaler.RowStream rows = d.rows(lr, scale, n -> bar.step());
            boolean gray = lr.isGray();
            ImageFiles.writePngRows(target, outW, outH, gray ? 1 : 3, y -> {
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
            ModelFiles.requireTrainedScale(file, scale);
        } catch (WeightsException e) {
            throw new CliException(ExitCode.BAD_INPUT, e.getMessage());
        }
        if (steps > m.schedule().steps()) {
            usageError("--steps must be at most " + m.schedule().steps() + " for this model");
        }
        double k = process.equals("deltadiff") ? 0 : kappa != null ? kappa : m.schedule().kappa();
        return new DiffusionUpscaler(m, new UpscaleOptions(k, steps, seed, tile, overlap, maxMemoryMb << 20));
    }
}
