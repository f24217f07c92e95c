package io.shiftsr.eval;

import io.shiftsr.image.Degradation;
import io.shiftsr.image.Image;
import io.shiftsr.image.ImageFiles;
import io.shiftsr.image.MatlabBicubic;
import io.shiftsr.inference.DiffusionUpscaler;
import io.shiftsr.inference.UpscaleOptions;
import io.shiftsr.metrics.ImageMetrics;
import io.shiftsr.model.ShiftSrModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Scores bicubic and model settings on a set of HR images with the protocol of DESIGN.md section 7: HR
 * mod-cropped to the scale, LR given or made by the standard degradation, PSNR/SSIM on Y with a border of
 * the scale, wall time per image.
 */
public final class Evaluation {
    /** One way of upscaling: bicubic, or a process at a step count. */
    public record Setting(String name, String process, int steps, double kappa) {
        public static Setting bicubic() {
            return new Setting("bicubic", "bicubic", 0, 0);
        }
    }

    public record Score(String image, String setting, double psnrY, double ssimY, double seconds) {}

    public record Summary(String setting, double psnrY, double ssimY, double seconds, int n) {}

    public record Report(double scale, List<String> images, List<Setting> settings, List<Score> scores,
            List<Summary> means) {}

    private Evaluation() {}

    /** A validation pair: HR and the LR to upscale. */
    public record Pair(String name, Image hr, Image lr) {}

    /** Pairs HR files with LR files of the same base name, or degrades HR when {@code lrDir} is null. */
    public static List<Pair> pairs(List<Path> hrFiles, Path lrDir, double scale) {
        List<Pair> out = new ArrayList<>();
        for (Path hrFile : hrFiles) {
            String name = ImageFiles.baseName(hrFile);
            Image hr = ImageFiles.read(hrFile).toRgb().withoutAlpha();
            if (scale == Math.rint(scale)) {
                hr = Degradation.modCrop(hr, (int) scale);
            }
            Image lr;
            if (lrDir == null) {
                lr = Degradation.degrade(hr, scale);
            } else {
                Path match = ImageFiles.listInputs(List.of(lrDir.toString())).stream()
                        .filter(p -> ImageFiles.baseName(p).equals(name)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(lrDir + ": no LR image named " + name));
                lr = ImageFiles.read(match).toRgb().withoutAlpha();
            }
            out.add(new Pair(name, hr, lr));
        }
        return out;
    }

    public static Report run(List<Pair> pairs, double scale, ShiftSrModel model, List<Setting> settings, long seed,
            Consumer<String> progress) {
        List<Score> scores = new ArrayList<>();
        int border = (int) Math.ceil(scale);
        for (Setting s : settings) {
            for (Pair p : pairs) {
                long t0 = System.nanoTime();
                Image sr;
                if (s.steps() == 0) {
                    sr = MatlabBicubic.resize(p.lr(), scale);
                } else {
                    DiffusionUpscaler up = new DiffusionUpscaler(model,
                            new UpscaleOptions(s.kappa(), s.steps(), seed, 0, -1, UpscaleOptions.DEFAULT_MAX_MEMORY));
                    sr = up.upscale(p.lr(), scale);
                }
                double sec = (System.nanoTime() - t0) / 1e9;
                sr = sr.quantize8();
                if (sr.width() != p.hr().width() || sr.height() != p.hr().height()) {
                    sr = sr.crop(0, 0, Math.min(sr.width(), p.hr().width()), Math.min(sr.height(), p.hr().height()));
                }
                Image hr = p.hr().crop(0, 0, sr.width(), sr.height());
                ImageMetrics m = ImageMetrics.of(sr, hr, border);
                scores.add(new Score(p.name(), s.name(), m.psnrY(), m.ssimY(), sec));
                progress.accept(String.format("%-28s %-16s psnr_y=%.4f ssim_y=%.4f %.2fs", p.name(), s.name(),
                        m.psnrY(), m.ssimY(), sec));
            }
        }
        Map<String, double[]> acc = new LinkedHashMap<>();
        for (Score sc : scores) {
            double[] a = acc.computeIfAbsent(sc.setting(), k -> new double[4]);
            a[0] += sc.psnrY();
            a[1] += sc.ssimY();
            a[2] += sc.seconds();
            a[3]++;
        }
        List<Summary> means = new ArrayList<>();
        acc.forEach((k, a) -> means.add(new Summary(k, a[0] / a[3], a[1] / a[3], a[2] / a[3], (int) a[3])));
        return new Report(scale, pairs.stream().map(Pair::name).toList(), settings, scores, means);
    }

    /** Markdown: the mean table, then PSNR-Y / SSIM-Y per image and setting. */
    public static String markdown(Report r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("Scale x%s, %d images.%n%n", fmtScale(r.scale()), r.images().size()));
        sb.append("| setting | PSNR-Y | SSIM-Y | s/image |\n|---|---:|---:|---:|\n");
        double base = r.means().stream().filter(m -> m.setting().equals("bicubic")).mapToDouble(Summary::psnrY)
                .findFirst().orElse(Double.NaN);
        for (Summary m : r.means()) {
            String gain = Double.isNaN(base) || m.setting().equals("bicubic") ? ""
                    : String.format(" (%+.2f)", m.psnrY() - base);
            sb.append(String.format("| %s | %.4f%s | %.4f | %.2f |%n", m.setting(), m.psnrY(), gain, m.ssimY(),
                    m.seconds()));
        }
        sb.append("\nPer image, PSNR-Y / SSIM-Y:\n\n| image |");
        r.means().forEach(m -> sb.append(' ').append(m.setting()).append(" |"));
        sb.append("\n|---|");
        r.means().forEach(m -> sb.append("---:|"));
        sb.append('\n');
        for (String img : r.images()) {
            sb.append("| ").append(img).append(" |");
            for (Summary m : r.means()) {
                r.scores().stream().filter(s -> s.image().equals(img) && s.setting().equals(m.setting())).findFirst()
                        .ifPresent(s -> sb.append(String.format(" %.2f / %.4f |", s.psnrY(), s.ssimY())));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String fmtScale(double s) {
        return s == Math.rint(s) ? Integer.toString((int) s) : Double.toString(s);
    }
}
