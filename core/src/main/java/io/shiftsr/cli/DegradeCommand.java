package io.shiftsr.cli;

import io.shiftsr.image.Degradation;
import io.shiftsr.image.Image;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shiftsr degrade}: LR images from HR the standard way (DESIGN.md section 7). */
@Command(name = "degrade",
        description = {"Make low-resolution images from high-resolution ones.",
                "The standard way: crop to a multiple of the scale, MATLAB-compatible bicubic",
                "downscale, round to 8 bits. Outputs are DIR/<input base name>.png."})
final class DegradeCommand extends ImageBatchCommand {
    @Option(names = {"-s", "--scale"}, defaultValue = "4", paramLabel = "S",
            description = "Downscale factor (> 1; integers also mod-crop). Default: ${DEFAULT-VALUE}.")
    double scale;

    @Override
    protected void validate() {
        if (!(scale > 1) || Double.isInfinite(scale)) {
            usageError("--scale must be a number > 1, got " + Degradation.scaleText(scale));
        }
    }

    @Override
    protected String task() {
        return "degrade";
    }

    @Override
    protected String verb() {
        return "degraded";
    }

    @Override
    protected Image process(Path input, Image hr) {
        return Degradation.degrade(hr, scale);
    }
}
