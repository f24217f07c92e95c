package io.shiftsr.cli;

import io.shiftsr.image.Image;
import io.shiftsr.image.MatlabBicubic;
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

    @Option(names = {"-m", "--method"}, defaultValue = "bicubic", paramLabel = "NAME",
            description = "Upscaling method: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.",
            completionCandidates = MethodNames.class)
    String method;

    private Upscaler upscaler;

    /** Lists the registered methods for the help text. */
    static final class MethodNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Upscalers.names().iterator();
        }
    }

    @Override
    protected void validate() {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            usageError("--scale must be a positive number, got " + scale);
        }
        if (!Upscalers.names().contains(method)) {
            usageError("unknown --method '" + method + "' (available: " + String.join(", ", Upscalers.names()) + ")");
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
        if (upscaler == null) {
            upscaler = Upscalers.create(method);
        }
        // Methods see colour only; alpha is plain bicubic whatever the method (models know nothing of alpha).
        Image up = upscaler.upscale(lr.withoutAlpha(), scale);
        if (lr.hasAlpha()) {
            Image alpha = MatlabBicubic.resize(Image.of(lr.width(), lr.height(), lr.alpha()),
                    up.width(), up.height(), scale);
            up = up.withAlpha(alpha.plane(0));
        }
        return up.withSourceBitDepth(lr.sourceBitDepth());
    }
}
