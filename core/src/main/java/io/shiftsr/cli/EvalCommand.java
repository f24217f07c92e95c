package io.shiftsr.cli;

import io.shiftsr.sr.Sampling;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.shiftsr.ShiftSr;
import io.shiftsr.engine.Engine;
import io.shiftsr.eval.BenchmarkSets;
import io.shiftsr.eval.Evaluation;
import io.shiftsr.eval.HtmlReport;
import io.shiftsr.eval.ReportComparison;
import io.shiftsr.image.InputFiles;
import io.shiftsr.io.AtomicFiles;
import io.shiftsr.metrics.Lpips;
import io.shiftsr.sr.Denoise;
import io.shiftsr.sr.ShiftSrModel;
import io.shiftsr.weights.WeightsException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shiftsr eval}: bicubic and model settings on a folder of HR images or on the standard benchmark sets,
 * as report.json (every figure), report.md (tables) and index.html (tables, plots and crops in one file).
 */
@Command(name = "eval", description = {"Score bicubic and the model (each process and step count) on HR images.",
        "Writes REPORT_DIR/report.json, report.md and index.html (self-contained page with plots and crops)."})
final class EvalCommand extends BaseCommand {
    /** The model's file name, for the reports. */
    private String modelName;

    @picocli.CommandLine.Mixin
    PrecisionOption precision = new PrecisionOption();

    @Option(names = "--hr", paramLabel = "DIR", description = "High-resolution images (or use --benchmarks).")
    Path hr;

    @Option(names = "--benchmarks", paramLabel = "ROOT",
            description = "Folder holding any of Set5, Set14, B100/BSDS100, Urban100, Manga109, DIV2K_valid_HR;"
                    + " each set is scored and reported separately, LR made from HR.")
    Path benchmarks;

    @Option(names = "--lpips", paramLabel = "FILE",
            description = "LPIPS-VGG weights (safetensors, see README); without them LPIPS is not reported.")
    Path lpipsWeights;

    @Option(names = "--crop", defaultValue = "48", paramLabel = "PX",
            description = "Side of the comparison crops in HR pixels (0: none). Default: ${DEFAULT-VALUE}.")
    int crop;

    @Option(names = "--lr", paramLabel = "DIR",
            description = "Matching low-resolution images; default: made from HR with the standard degradation.")
    Path lr;

    @Option(names = "--scale", defaultValue = "4", paramLabel = "S", description = "Scale. Default: ${DEFAULT-VALUE}.")
    double scale;

    @Option(names = "--model", paramLabel = "FILE", description = "Model file. Default: the bundled model.")
    Path model;

    @Option(names = "--process", defaultValue = "deltadiff", split = ",", paramLabel = "P",
            description = "Processes, comma-separated: deltadiff, resshift. Default: ${DEFAULT-VALUE}.")
    List<String> processes;

    @Option(names = "--steps", defaultValue = "1,2,4", split = ",", paramLabel = "N",
            description = "Step counts, comma-separated. Default: ${DEFAULT-VALUE}.")
    List<Integer> steps;

    @Option(names = "--ensemble", split = ",", paramLabel = "N",
            description = "Geometric self-ensemble sizes, comma-separated, from 1, 2, 4, 8 (each member a full"
                    + " sampling run on a flipped or transposed input). Default: 1 and the model's default.")
    List<Integer> ensembles;

    @Option(names = "--denoise", defaultValue = "auto", split = ",", paramLabel = "LEVEL",
            description = "Denoise choices, comma-separated: auto (a JPEG's quality, read from the LR file or seen in"
                    + " the pixels of a former JPEG), off, low,"
                    + " medium, high. Default: ${DEFAULT-VALUE}.")
    List<String> denoise;

    @Option(names = "--jpeg", split = ",", paramLabel = "Q",
            description = "A JPEG sweep: score the standard LR saved as JPEG at each quality (1-100, comma-separated)"
                    + " instead of the lossless LR, one set per quality (SET-jpegQ).")
    List<Integer> jpeg;

    @Option(names = "--webp", split = ",", paramLabel = "Q",
            description = "A WebP sweep: the standard LR saved as lossy WebP (libwebp) at each quality (0-100,"
                    + " comma-separated), one set per quality (SET-webpQ); with --jpeg, both sweeps.")
    List<Integer> webp;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N", description = "Seed of the resshift noise.")
    long seed;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "REPORT_DIR", description = "Report folder.")
    Path out;

    @picocli.CommandLine.Mixin
    Threads threadsOption = new Threads();
    private int threads;

    @Option(names = {"-q", "--quiet"}, description = "No per-image lines.")
    boolean quiet;

    @Option(names = "--against", paramLabel = "REPORT",
            description = "An earlier report.json (or its folder) of the same sets: print and report each setting's"
                    + " PSNR-Y against it, image by image (mean, median, images ahead and behind).")
    Path against;

    /** What report.json holds; {@code against} only with --against. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    record ReportFile(String model, double scale, boolean lpips, List<Evaluation.Report> sets,
            ReportComparison.Result against) {}

    @Override
    protected int run() throws Exception {
        try {
            Sampling.checkScale(scale);
        } catch (IllegalArgumentException e) {
            usageError("--" + e.getMessage());
        }
        if ((hr == null) == (benchmarks == null)) {
            usageError("give one of --hr DIR or --benchmarks ROOT");
        }
        if (crop < 0 || crop > 4096) {
            usageError("--crop must be 0 to 4096");
        }
        threads = threadsOption.get(this);
        // "--steps ," is an empty list, which left nothing but bicubic to score.
        String empty = processes.isEmpty() ? "--process" : steps.isEmpty() ? "--steps" : denoise.isEmpty() ? "--denoise"
                : ensembles != null && ensembles.isEmpty() ? "--ensemble" : jpeg != null && jpeg.isEmpty() ? "--jpeg"
                : webp != null && webp.isEmpty() ? "--webp" : null;
        if (empty != null) {
            usageError(empty + " needs at least one value, got an empty list");
        }
        // The report folder is checked before minutes of scoring, not after.
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new CliException(ExitCode.IO_ERROR, out + ": exists and is not a folder");
        }
        Files.createDirectories(out);
        if (!Files.isWritable(out)) {
            throw new CliException(ExitCode.IO_ERROR, out + ": report folder is not writable");
        }
        // Read before minutes of scoring, and before this run's report.json replaces it (--against OUT itself).
        var before = against == null ? null : earlierReport(against);
        Engine.init(threads);
        ShiftSr sr;
        try {
            sr = DefaultModel.load(model, this::notice).precision(precision.get(this));
        } catch (WeightsException e) {
            throw new CliException(ExitCode.BAD_INPUT, e.getMessage());
        }
        modelName = sr.name();
        ShiftSrModel m = sr.model();
        try {
            m.requireScale(scale);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.BAD_INPUT, sr.name() + ": " + e.getMessage());
        }
        if (ensembles == null) {
            ensembles = m.defaultEnsemble() == 1 ? List.of(1) : List.of(1, m.defaultEnsemble());
        }
        for (int e : ensembles) {
            if (!Sampling.isEnsembleSize(e)) {
                usageError("--" + Sampling.ensembleError(e));
            }
        }
        List<Denoise> denoises = new ArrayList<>();
        for (String d : denoise) {
            try {
                denoises.add(Denoise.parse(d));
            } catch (IllegalArgumentException e) {
                usageError("--" + e.getMessage());
            }
        }
        checkSweep("--jpeg", jpeg, 1);
        checkSweep("--webp", webp, 0);
        List<Evaluation.Setting> settings = new ArrayList<>(List.of(Evaluation.Setting.bicubic()));
        for (String p : processes) {
            ShiftSrModel.Process preset = null;
            try {
                preset = ShiftSrModel.Process.parse(p);
            } catch (IllegalArgumentException e) {
                // falls through to the message below
            }
            if (preset == null || !preset.diffusion()) { // bicubic is always scored
                usageError("--process takes deltadiff and/or resshift, got '" + p + "'");
            }
            for (int n : steps) {
                if (n < 1) {
                    usageError("--steps must be >= 1, got " + n);
                }
                for (int e : ensembles) {
                    for (Denoise d : denoises) {
                        settings.add(new Evaluation.Setting(Evaluation.Setting.name(preset.id(), n, e, d), preset.id(),
                                n, m.kappa(preset), e, d));
                    }
                }
            }
        }
        for (Evaluation.Setting st : settings) { // the model checks each (steps up to its T) before any scoring
            try {
                sr.with(Evaluation.settingsOf(st, seed));
            } catch (IllegalArgumentException e) {
                usageError("--" + e.getMessage());
            }
        }
        List<String> names = new ArrayList<>();
        List<Path> hrDirs = new ArrayList<>();
        if (benchmarks != null) {
            if (lr != null) {
                usageError("--lr goes with --hr, not --benchmarks (benchmark LR is made from HR)");
            }
            try {
                for (BenchmarkSets.Set set : BenchmarkSets.find(benchmarks)) {
                    names.add(set.name());
                    hrDirs.add(set.hrDir());
                }
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCode.BAD_INPUT, e.getMessage());
            }
        } else {
            names.add(setName(hr));
            hrDirs.add(hr);
        }
        // Pairing is by base name: two HR (or LR) files of one name are an error before any set is scored.
        for (Path dir : hrDirs) {
            io.shiftsr.data.PairedImages.byBaseName(InputFiles.listInputs(List.of(dir.toString())));
        }
        if (lr != null) {
            io.shiftsr.data.PairedImages.byBaseName(InputFiles.listInputs(List.of(lr.toString())));
        }
        List<Evaluation.Result> results = new ArrayList<>();
        int[] skipped = {0}, seen = {0};
        boolean withLpips = lpipsWeights != null;
        try (Lpips lpips = lpipsOrNull(lpipsWeights)) {
            for (int i = 0; i < names.size(); i++) {
                List<io.shiftsr.data.PairedImages.Pair> pairs;
                try {
                    List<Path> files = InputFiles.listInputs(List.of(hrDirs.get(i).toString()));
                    seen[0] += files.size();
                    pairs = Evaluation.pairs(files, lr, scale, withLpips, message -> {
                        skipped[0]++;
                        error(message);
                    });
                } catch (IllegalArgumentException e) {
                    throw new CliException(ExitCode.BAD_INPUT, e.getMessage());
                }
                String base = names.get(i);
                if (pairs.isEmpty()) {
                    error(base + ": no usable images, set left out");
                    continue;
                }
                List<SavedAs> sweeps = new ArrayList<>();
                (jpeg == null ? List.<Integer>of() : jpeg).forEach(q -> sweeps.add(new SavedAs("jpeg", q)));
                (webp == null ? List.<Integer>of() : webp).forEach(q -> sweeps.add(new SavedAs("webp", q)));
                if (sweeps.isEmpty()) {
                    sweeps.add(SavedAs.AS_GIVEN);
                }
                for (SavedAs v : sweeps) {
                    String set = base + v.suffix();
                    List<io.shiftsr.data.PairedImages.Pair> scored = pairs.stream()
                            .map(p -> new io.shiftsr.data.PairedImages.Pair(p.name(), p.hr(), v.of(p.lr()))).toList();
                    results.add(Evaluation.run(set, scored, scale, sr, settings, seed, lpips, crop, line -> {
                        if (!quiet) {
                            err().println(set + " " + line);
                            err().flush();
                        }
                    }));
                }
            }
        }
        if (results.isEmpty()) {
            throw new CliException(ExitCode.BAD_INPUT, "no usable images to evaluate");
        }
        ReportComparison.Result comparison = before == null ? null : ReportComparison.compare(
                ReportComparison.table(results.stream().map(Evaluation.Result::report).toList()), before,
                against.toString());
        write(results, withLpips, comparison);
        results.forEach(r -> out().print(Evaluation.markdown(r.report()) + "\n"));
        if (comparison != null) {
            out().print(ReportComparison.markdown(comparison));
        }
        out().flush();
        if (skipped[0] > 0) {
            error(skipped[0] + " of " + seen[0] + " images skipped (unreadable or too small); the report covers the rest");
            return ExitCode.SOME_FAILED;
        }
        return ExitCode.OK;
    }

    /** A sweep's qualities lie in [lowest, 100], and the sweep makes the LR from --hr. */
    private void checkSweep(String option, List<Integer> qualities, int lowest) {
        if (qualities == null) {
            return;
        }
        for (int q : qualities) {
            if (q < lowest || q > 100) {
                usageError(option + " qualities must be " + lowest + " to 100, got " + q);
            }
        }
        if (lr != null) {
            usageError(option + " makes the LR from --hr; it does not go with --lr");
        }
    }

    /**
     * A sweep's variant: the LR as a file of this format ("jpeg", "webp") and quality would give it, made by the
     * real encoder (the JDK's JPEG, libwebp) and read back as upscaling reads a file (a JPEG with the quality its
     * tables give).
     */
    record SavedAs(String format, int quality) {
        /** No sweep: the LR as given (from --lr, or made from --hr by the MATLAB-bicubic shrink). */
        static final SavedAs AS_GIVEN = new SavedAs("", 0);

        /** What the set's name gets: "-jpeg50", "-webp75", nothing for the LR as given. */
        String suffix() {
            return format.isEmpty() ? "" : "-" + format + quality;
        }

        io.shiftsr.image.Image of(io.shiftsr.image.Image lr) {
            if (format.isEmpty()) {
                return lr;
            }
            if (format.equals("webp")) {
                return io.shiftsr.image.ImageReading.read(io.shiftsr.image.WebpEncoding.encode(lr, quality, false),
                        "WebP of the LR", Long.MAX_VALUE);
            }
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            io.shiftsr.image.ImageWriting.write(lr, bytes, "jpg", quality);
            return io.shiftsr.image.ImageReading.read(bytes.toByteArray(), "JPEG of the LR", Long.MAX_VALUE);
        }
    }

    /** A folder's name, or its parent's when it is just "hr" (val-x4/hr is the set val-x4). */
    static String setName(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        Path name = abs.getFileName();
        if (name != null && name.toString().equalsIgnoreCase("hr") && abs.getParent() != null
                && abs.getParent().getFileName() != null) {
            return abs.getParent().getFileName().toString();
        }
        return name == null ? dir.toString() : name.toString();
    }

    /** The PSNR-Y table of an earlier report; one that cannot be read is a one-line error before any scoring. */
    private static java.util.Map<String, java.util.Map<String, java.util.Map<String, Double>>> earlierReport(Path p) {
        try {
            return ReportComparison.read(p);
        } catch (java.io.IOException | RuntimeException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "no such file"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? "not JSON: " + j.getOriginalMessage()
                    : e.getMessage();
            throw new CliException(ExitCode.BAD_INPUT, "--against " + p + ": cannot read the report (" + why + ")");
        }
    }

    private void write(List<Evaluation.Result> results, boolean withLpips, ReportComparison.Result comparison)
            throws java.io.IOException {
        Files.createDirectories(out);
        List<Evaluation.Report> reports = results.stream().map(Evaluation.Result::report).toList();
        byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsBytes(new ReportFile(modelName, scale, withLpips, reports, comparison));
        AtomicFiles.write(out.resolve("report.json"), o -> o.write(json));
        StringBuilder md = new StringBuilder("# ShiftSR evaluation\n\nModel: " + modelName + ".\n\n");
        reports.forEach(r -> md.append("## ").append(r.set()).append("\n\n").append(Evaluation.markdown(r))
                .append('\n'));
        if (comparison != null) {
            md.append("## Against an earlier report\n\n").append(ReportComparison.markdown(comparison));
        }
        AtomicFiles.write(out.resolve("report.md"), o -> o.write(md.toString().getBytes(StandardCharsets.UTF_8)));
        String note = "Model " + modelName + ". PSNR-Y and SSIM-Y on the Y channel (BT.601), border of the scale"
                + " cropped; HR mod-cropped to the scale; seconds are wall time per image on this machine ("
                + Runtime.getRuntime().availableProcessors() + " cores). Made by: shiftsr eval.";
        String html = HtmlReport.render("ShiftSR evaluation x" + (scale == Math.rint(scale) ? Integer.toString((int) scale)
                : Double.toString(scale)), results, note, comparison);
        AtomicFiles.write(out.resolve("index.html"), o -> o.write(html.getBytes(StandardCharsets.UTF_8)));
    }
}
