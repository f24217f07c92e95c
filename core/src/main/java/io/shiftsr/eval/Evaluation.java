package io.shiftsr.eval;

import java.util.Locale;
import io.shiftsr.ShiftSr;
import io.shiftsr.data.PairedImages;
import io.shiftsr.data.PairedImages.Pair;
import io.shiftsr.image.Image;
import io.shiftsr.metrics.ImageMetrics;
import io.shiftsr.metrics.Lpips;
import io.shiftsr.sr.Denoise;
import io.shiftsr.sr.ShiftSrModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Scores bicubic and model settings on one set of HR images with the protocol of DESIGN.md section 7: HR
 * mod-cropped to the scale, LR given or made by the standard degradation, PSNR/SSIM on Y with a border of
 * the scale (LPIPS on the whole image when its weights are given), wall time per image. For each image it also
 * cuts the same region out of every output, where the outputs differ most, for the report's crops.
 */
public final class Evaluation {
    /** One way of upscaling: bicubic, or a process at a step count, ensemble size and denoise choice. */
    public record Setting(String name, String process, int steps, double kappa, int ensemble, Denoise denoise) {
        public Setting {
            denoise = denoise == null ? Denoise.AUTO : denoise;
        }

        public Setting(String name, String process, int steps, double kappa, int ensemble) {
            this(name, process, steps, kappa, ensemble, Denoise.AUTO);
        }

        /** Bicubic: the process of that name (no steps, no ensemble). */
        public static Setting bicubic() {
            return new Setting("bicubic", ShiftSrModel.Process.BICUBIC.id(), 0, 0, 1);
        }

        /** "deltadiff-2", or "deltadiff-1-ens2" with a 2-member self-ensemble. */
        public static String name(String process, int steps, int ensemble) {
            return process + "-" + steps + (ensemble == 1 ? "" : "-ens" + ensemble);
        }

        /** As {@link #name(String, int, int)}, with "-denoise-off" (etc.) for any choice but auto. */
        public static String name(String process, int steps, int ensemble, Denoise denoise) {
            return name(process, steps, ensemble) + (denoise == Denoise.AUTO ? "" : "-denoise-" + denoise.label());
        }
    }

    /** {@code lpips} is null when no LPIPS weights were given. */
    public record Score(String image, String setting, double psnrY, double ssimY, Double lpips, double seconds) {}

    public record Summary(String setting, double psnrY, double ssimY, Double lpips, double seconds, int n) {}

    /** Where the crops of an image were cut, in HR pixels. */
    public record Region(String image, int x, int y, int size) {}

    /** Every figure of one set; this is what report.json holds. */
    public record Report(String set, double scale, List<String> images, List<Setting> settings, List<Score> scores,
            List<Summary> means, List<Region> regions) {}

    /** The crops of one image: one per setting, then HR, in that order. Not serialised. */
    public record Crops(String image, Region region, List<String> labels, List<Image> tiles) {}

    public record Result(Report report, List<Crops> crops) {}

    private Evaluation() {}

    /** A validation pair: HR and the LR to upscale. */

    /** The pairing of {@link PairedImages}, one path for every scorer. */
    public static List<Pair> pairs(List<Path> hrFiles, Path lrDir, double scale, Consumer<String> skip) {
        return pairs(hrFiles, lrDir, scale, false, skip);
    }

    /**
     * As {@link #pairs(List, Path, double, Consumer)}, and a pair too small to score (SSIM's 11x11 window after
     * the border crop, LPIPS's 16x16 with {@code lpips}) is passed to {@code skip} like an unreadable file:
     * it failed the whole run with an IllegalArgumentException once its first setting was scored.
     */
    public static List<Pair> pairs(List<Path> hrFiles, Path lrDir, double scale, boolean lpips, Consumer<String> skip) {
        List<Pair> out = new ArrayList<>();
        int border = (int) Math.ceil(scale);
        for (Pair p : PairedImages.fromFiles(hrFiles, lrDir, scale, skip)) {
            // The SR is scored on its overlap with the HR, and an SR of a given LR may be the smaller one.
            int w = Math.min(p.hr().width(), (int) Math.floor(p.lr().width() * scale));
            int h = Math.min(p.hr().height(), (int) Math.floor(p.lr().height() * scale));
            if (w - 2 * border < 11 || h - 2 * border < 11) {
                skip.accept(p.name() + ": " + w + "x" + h + " is too small to score at x" + fmtScale(scale)
                        + " (SSIM needs 11x11 pixels after a border of " + border + "), skipped");
            } else if (lpips && (p.hr().width() < 16 || p.hr().height() < 16)) {
                skip.accept(p.name() + ": " + p.hr().width() + "x" + p.hr().height()
                        + " is too small for LPIPS (16x16), skipped");
            } else {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * @param lpips    LPIPS network, or null to leave LPIPS out
     * @param cropSize side of the comparison crops in HR pixels (0: no crops)
     */
    public static Result run(String set, List<Pair> pairs, double scale, ShiftSr model, List<Setting> settings,
            long seed, Lpips lpips, int cropSize, Consumer<String> progress) {
        List<ShiftSr> views = settings.stream().map(s -> model.with(settingsOf(s, seed))).toList();
        List<Score> scores = new ArrayList<>();
        List<Crops> crops = new ArrayList<>();
        int border = (int) Math.ceil(scale);
        for (Pair p : pairs) {
            List<Image> outputs = new ArrayList<>();
            try (Lpips.Features hrFeatures = lpips == null ? null : lpips.features(p.hr())) {
                for (int i = 0; i < settings.size(); i++) {
                    Setting s = settings.get(i);
                    long t0 = System.nanoTime();
                    Image sr = views.get(i).upscale(p.lr(), scale);
                    double sec = (System.nanoTime() - t0) / 1e9;
                    Image[] pair;
                    try {
                        pair = PairedImages.aligned(sr.quantize8(), p.hr(), scale);
                    } catch (IllegalArgumentException e) {
                        throw new io.shiftsr.image.ImageException(p.name() + ": the SR of its LR has a " + e.getMessage());
                    }
                    sr = pair[0];
                    Image hr = pair[1];
                    ImageMetrics m = ImageMetrics.of(sr, hr, border);
                    Double lp = lpips == null || sr.width() != p.hr().width() || sr.height() != p.hr().height()
                            ? null : lpips.distance(sr, hrFeatures);
                    scores.add(new Score(p.name(), s.name(), m.psnrY(), m.ssimY(), lp, sec));
                    progress.accept(String.format(Locale.ROOT, "%-28s %-16s psnr_y=%.4f ssim_y=%.4f%s %.2fs", p.name(), s.name(),
                            m.psnrY(), m.ssimY(), lp == null ? "" : String.format(Locale.ROOT, " lpips=%.4f", lp), sec));
                    outputs.add(sr);
                }
            }
            if (cropSize > 0) {
                crops.add(CropPicker.cut(p.name(), outputs, settings.stream().map(Setting::name).toList(), p.hr(),
                        cropSize));
            }
        }
        List<Region> regions = crops.stream().map(Crops::region).toList();
        return new Result(new Report(set, scale, pairs.stream().map(Pair::name).toList(), settings, scores,
                means(scores), regions), crops);
    }

    /** A setting through the facade: its one mapping onto ShiftSr.Settings (bicubic is the process BICUBIC). */
    public static ShiftSr.Settings settingsOf(Setting s, long seed) {
        ShiftSrModel.Process p = ShiftSrModel.Process.parse(s.process());
        ShiftSr.Settings base = ShiftSr.Settings.DEFAULT.withProcess(p).withSeed(seed);
        return p.diffusion() ? base.withSteps(s.steps()).withKappa(s.kappa()).withEnsemble(s.ensemble())
                .withDenoise(s.denoise()) : base;
    }

    static List<Summary> means(List<Score> scores) {
        Map<String, double[]> acc = new LinkedHashMap<>();
        for (Score sc : scores) {
            double[] a = acc.computeIfAbsent(sc.setting(), k -> new double[6]);
            a[0] += sc.psnrY();
            a[1] += sc.ssimY();
            a[2] += sc.seconds();
            a[3]++;
            if (sc.lpips() != null) {
                a[4] += sc.lpips();
                a[5]++;
            }
        }
        List<Summary> means = new ArrayList<>();
        acc.forEach((k, a) -> means.add(new Summary(k, a[0] / a[3], a[1] / a[3], a[5] == a[3] ? a[4] / a[5] : null,
                a[2] / a[3], (int) a[3])));
        return means;
    }

    /** Markdown: the mean table, then PSNR-Y / SSIM-Y per image and setting. */
    public static String markdown(Report r) {
        StringBuilder sb = new StringBuilder();
        boolean hasLpips = r.means().stream().anyMatch(m -> m.lpips() != null);
        sb.append(String.format(Locale.ROOT, "%s: scale x%s, %d images.%s%n%n", r.set(), fmtScale(r.scale()), r.images().size(),
                hasLpips ? "" : " LPIPS: not available (no --lpips weights)."));
        sb.append("| setting | PSNR-Y | SSIM-Y |").append(hasLpips ? " LPIPS |" : "")
                .append(" gain over bicubic: median | images below bicubic | s/image |\n")
                .append("|---|---:|---:|").append(hasLpips ? "---:|" : "").append("---:|---:|---:|\n");
        double base = bicubicPsnr(r);
        for (Summary m : r.means()) {
            String gain = Double.isNaN(base) || m.setting().equals("bicubic") ? ""
                    : String.format(Locale.ROOT, " (%+.2f)", m.psnrY() - base);
            double[] g = gains(r, m.setting());
            String gainCols = g == null ? " - | - |" : String.format(Locale.ROOT, " %+.3f | %d of %d |", median(g),
                    java.util.Arrays.stream(g).filter(v -> v < 0).count(), g.length);
            sb.append(String.format(Locale.ROOT, "| %s | %.4f%s | %.4f |", m.setting(), m.psnrY(), gain, m.ssimY()));
            if (hasLpips) {
                sb.append(m.lpips() == null ? " - |" : String.format(Locale.ROOT, " %.4f |", m.lpips()));
            }
            sb.append(gainCols);
            sb.append(String.format(Locale.ROOT, " %.2f |%n", m.seconds()));
        }
        sb.append("\nPer image, PSNR-Y / SSIM-Y (gain over bicubic):\n\n| image |");
        r.means().forEach(m -> sb.append(' ').append(m.setting()).append(" |"));
        sb.append("\n|---|");
        r.means().forEach(m -> sb.append("---:|"));
        sb.append('\n');
        for (String img : r.images()) {
            sb.append("| ").append(img).append(" |");
            for (Summary m : r.means()) {
                java.util.Optional<Score> bic = score(r, img, "bicubic");
                score(r, img, m.setting()).ifPresent(s -> sb.append(String.format(Locale.ROOT, " %.2f / %.4f%s |",
                        s.psnrY(), s.ssimY(), bic.isEmpty() || m.setting().equals("bicubic") ? ""
                                : String.format(Locale.ROOT, " (%+.2f)", s.psnrY() - bic.get().psnrY()))));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Per-image PSNR-Y gains of a setting over bicubic, or null for bicubic itself or without bicubic. */
    static double[] gains(Report r, String setting) {
        if (setting.equals("bicubic") || r.settings().stream().noneMatch(s -> s.name().equals("bicubic"))) {
            return null;
        }
        return r.images().stream().mapToDouble(img -> score(r, img, setting).map(Score::psnrY).orElse(Double.NaN)
                - score(r, img, "bicubic").map(Score::psnrY).orElse(Double.NaN)).filter(v -> !Double.isNaN(v)).toArray();
    }

    static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static double bicubicPsnr(Report r) {
        return r.means().stream().filter(m -> m.setting().equals("bicubic")).mapToDouble(Summary::psnrY)
                .findFirst().orElse(Double.NaN);
    }

    static java.util.Optional<Score> score(Report r, String image, String setting) {
        return r.scores().stream().filter(s -> s.image().equals(image) && s.setting().equals(setting)).findFirst();
    }

    static String fmtScale(double s) {
        return s == Math.rint(s) ? Integer.toString((int) s) : Double.toString(s);
    }
}
