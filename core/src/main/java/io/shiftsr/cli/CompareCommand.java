package io.shiftsr.cli;

import java.util.Locale;
import io.shiftsr.eval.DiffImage;
import io.shiftsr.image.Image;
import io.shiftsr.image.ImageReading;
import io.shiftsr.image.ImageWriting;
import io.shiftsr.image.SideBySide;
import io.shiftsr.metrics.ImageMetrics;
import io.shiftsr.metrics.Lpips;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code shiftsr compare}: two images (and optionally the HR) side by side with their difference, and scores. */
@Command(name = "compare", description = {"Put two images side by side with an amplified difference map and score"
        + " them: A against B, and each against HR when --hr is given.",
        "Writes OUT (default compare.png); an existing OUT is kept unless --overwrite."})
final class CompareCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "A", description = "First image.")
    Path a;

    @Parameters(index = "1", paramLabel = "B", description = "Second image, same size.")
    Path b;

    @Option(names = "--hr", paramLabel = "HR", description = "Ground truth, same size: both are scored against it.")
    Path hr;

    @Option(names = {"-o", "--out"}, defaultValue = "compare.png", paramLabel = "OUT",
            description = "Comparison image (.png or .jpg). Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--gain", defaultValue = "4", paramLabel = "G",
            description = "Amplification of the difference map. Default: ${DEFAULT-VALUE}.")
    double gain;

    @Option(names = "--border", defaultValue = "0", paramLabel = "N",
            description = "Pixels cropped on each side before scoring. Default: ${DEFAULT-VALUE}.")
    int border;

    @Option(names = "--lpips", paramLabel = "FILE", description = "LPIPS-VGG weights (safetensors): adds LPIPS.")
    Path lpipsWeights;

    @Option(names = "--overwrite", description = "Replace an existing OUT.")
    boolean overwrite;

    @Override
    protected int run() throws Exception {
        if (!(gain > 0) || border < 0) {
            usageError("--gain must be > 0 and --border >= 0");
        }
        OutputGuard.check(out, java.util.Arrays.asList(a, b, hr), overwrite);
        ImageWriting.checkTarget(out); // -o x.webp or a missing folder failed only after all the scoring
        Image ia = ImageReading.read(a).toRgb().withoutAlpha();
        Image ib = ImageReading.read(b).toRgb().withoutAlpha();
        Image ih = hr == null ? null : ImageReading.read(hr).toRgb().withoutAlpha();
        requireSameSize(ia, ib, a, b);
        if (ih != null) {
            requireSameSize(ia, ih, a, hr);
        }
        if (2 * border >= Math.min(ia.width(), ia.height())) {
            usageError("--border " + border + " leaves nothing of a " + ia.width() + "x" + ia.height() + " image");
        }
        try (Lpips lpips = lpipsOrNull(lpipsWeights)) {
            report("A vs B", ia, ib, lpips);
            if (ih != null) {
                report("A vs HR", ia, ih, lpips);
                report("B vs HR", ib, ih, lpips);
            }
        }
        List<Image> tiles = new ArrayList<>(List.of(ia, ib, DiffImage.of(ia, ib, gain)));
        List<String> labels = new ArrayList<>(List.of(label("A", a), label("B", b), "|A-B| x" + fmt(gain)));
        if (ih != null) {
            tiles.add(ih);
            labels.add(label("HR", hr));
        }
        ImageWriting.write(SideBySide.row(tiles, labels, 8), out);
        out().println("wrote " + out);
        out().flush();
        return ExitCode.OK;
    }

    private void report(String what, Image x, Image y, Lpips lpips) {
        ImageMetrics m = ImageMetrics.of(x.quantize8(), y.quantize8(), border);
        String lp = lpips == null ? "" : String.format(Locale.ROOT, " lpips=%.4f", lpips.distance(x, y));
        out().printf(Locale.ROOT, "%-8s psnr_y=%.4f ssim_y=%.4f psnr_rgb=%.4f%s%n", what, m.psnrY(), m.ssimY(), m.psnrRgb(), lp);
    }

    private static void requireSameSize(Image x, Image y, Path px, Path py) {
        if (x.width() != y.width() || x.height() != y.height()) {
            throw new CliException(ExitCode.BAD_INPUT, px + " is " + x.width() + "x" + x.height() + " but " + py
                    + " is " + y.width() + "x" + y.height() + ": compare needs images of the same size");
        }
    }

    private static String label(String role, Path p) {
        return role + ": " + p.getFileName();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Integer.toString((int) v) : Double.toString(v);
    }
}
