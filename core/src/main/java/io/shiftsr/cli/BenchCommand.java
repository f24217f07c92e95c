package io.shiftsr.cli;

import io.shiftsr.ShiftSr;
import io.shiftsr.engine.Precision;

import io.shiftsr.bench.Benchmarks;
import io.shiftsr.engine.Engine;
import io.shiftsr.model.ModelConfig;
import io.shiftsr.train.TrainConfig;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shiftsr bench}: throughput of inference and training on this machine (docs/PERFORMANCE.md). */
@Command(name = "bench", description = {"Measure inference and training throughput (median of repeats).",
        "Inference: a 256x256 photo x4 at the model's default, stage by stage; then 1, 4 and 15 steps with the"
                + " config's network."})
final class BenchCommand extends BaseCommand {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Training config whose model and batch are measured. Default: the project's configs/x4.yaml.")
    Path config;

    @Option(names = "--size", defaultValue = "256", paramLabel = "PX", description = "Input side for inference.")
    int size;

    @Option(names = "--repeats", defaultValue = "5", paramLabel = "N", description = "Timed repeats.")
    int repeats;

    @picocli.CommandLine.Mixin
    Threads threadsOption = new Threads();
    private int threads;

    @Option(names = "--model", paramLabel = "FILE",
            description = "Model file measured at its default setting (repeatable, to compare files in one run)."
                    + " Default: the bundled model.")
    List<Path> models;

    @picocli.CommandLine.Mixin
    PrecisionOption precision = new PrecisionOption();

    @Option(names = "--only", paramLabel = "WHAT",
            description = "inference, batch (N copies of the photo through `upscale DIR`, after the inference lines"
                    + " it is compared with), training or data (training fed by the real data pipeline); default:"
                    + " inference and training.")
    String only;

    @Option(names = "--batch-images", defaultValue = "100", paramLabel = "N",
            description = "Copies of the photo in --only batch's folder. Default: ${DEFAULT-VALUE}.")
    int batchImages;

    @Option(names = "--jobs", defaultValue = "0", paramLabel = "N",
            description = "--jobs of the batch's `upscale DIR` (0: its automatic choice). Default: ${DEFAULT-VALUE}.")
    int jobs;

    @Override
    protected int run() throws Exception {
        if (repeats < 1 || repeats > 1000) {
            usageError("--repeats must be 1 to 1000, got " + repeats);
        }
        if (size < 8 || size > 4096) {
            usageError("--size must be 8 to 4096 pixels, got " + size);
        }
        if (only != null && !List.of("inference", "batch", "training", "data").contains(only)) {
            usageError("--only must be inference, batch, training or data, got '" + only + "'");
        }
        if (batchImages < 1 || batchImages > 10_000) {
            usageError("--batch-images must be 1 to 10000, got " + batchImages);
        }
        threads = threadsOption.get(this);
        Path file = config != null ? config : DefaultModel.besideProject("configs/x4.yaml");
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new CliException(ExitCode.BAD_INPUT, file + ": no such config file");
        }
        Engine.init(threads);
        Precision p = precision.get(this);
        // --precision, when given, also sets the training run's precision (run.precision); otherwise training
        // is measured in the config's own, as `shiftsr train` would run it.
        List<String> overrides = spec.commandLine().getParseResult().hasMatchedOption("--precision")
                ? List.of("run.precision=" + p) : List.of();
        TrainConfig cfg;
        try {
            cfg = TrainConfig.load(file, overrides);
        } catch (TrainConfig.ConfigException e) {
            throw new CliException(ExitCode.BAD_INPUT, e.getMessage());
        }
        Benchmarks b = new Benchmarks(line -> {
            out().println(line);
            out().flush();
        }, repeats);
        if (only == null || only.equals("inference") || only.equals("batch")) {
            Benchmarks.Input photo = photo(size);
            for (Path m : models == null ? java.util.Collections.<Path>singletonList(null) : models) {
                ShiftSr sr;
                try {
                    sr = DefaultModel.load(m, this::notice);
                } catch (io.shiftsr.weights.WeightsException e) {
                    throw new CliException(ExitCode.BAD_INPUT, e.getMessage());
                }
                // Open until the batch's passes are done: each is compared with this model's network alone.
                try (sr) {
                    b.defaultSetting(sr.precision(p), photo);
                    if (!"batch".equals(only)) {
                        continue;
                    }
                    b.batch(photo, batchImages, (in, out) -> {
                        List<String> args = new java.util.ArrayList<>(List.of("upscale", in.toString(), "--out",
                                out.toString(), "-q", "--threads", Integer.toString(threads), "--jobs",
                                Integer.toString(jobs), "--precision",
                                p.name().toLowerCase(java.util.Locale.ROOT)));
                        if (m != null) {
                            args.addAll(List.of("--model", m.toString()));
                        }
                        int code = Main.commandLine().execute(args.toArray(String[]::new));
                        if (code != ExitCode.OK) {
                            throw new CliException(ExitCode.IO_ERROR, "the batch run failed (exit " + code + ")");
                        }
                    });
                }
            }
            if (!"batch".equals(only)) {
                b.inference(cfg.model(), size);
            }
        }
        if (only == null || only.equals("training")) {
            b.training(cfg);
        }
        if ("data".equals(only)) {
            b.trainingWithData(cfg, 20);
        }
        return ExitCode.OK;
    }

    /**
     * The photo the end-to-end figures use: a centre crop of the validation photo skimage-astronaut.png when
     * ../shared is beside the project, else the bundled samples/astronaut-lr.png (both the same public-domain
     * NASA photograph), brought to side x side by MATLAB bicubic when it is smaller; encoded as PNG.
     */
    static Benchmarks.Input photo(int side) {
        Path val = DefaultModel.besideProject("../shared/data/val/skimage-astronaut.png");
        Path sample = DefaultModel.besideProject("samples/astronaut-lr.png");
        Path file = java.nio.file.Files.isRegularFile(val) ? val : sample;
        io.shiftsr.image.Image img = io.shiftsr.image.ImageReading.read(file).toRgb().withoutAlpha();
        String what = "photo " + file.getFileName() + (file == val ? " (validation set" : " (bundled sample");
        int short_ = Math.min(img.width(), img.height());
        if (short_ < side) {
            double s = (double) side / short_;
            img = io.shiftsr.image.MatlabBicubic.resize(img, (int) Math.ceil(img.width() * s),
                    (int) Math.ceil(img.height() * s), s).quantize8();
            what += ", enlarged x" + String.format(java.util.Locale.ROOT, "%.2f", s);
        }
        int x = (img.width() - side) / 2, y = (img.height() - side) / 2;
        img = img.crop(x, y, side, side);
        what += ", centre " + side + "x" + side + " crop)";
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        io.shiftsr.image.ImageWriting.write(img, png, "png", 95);
        return new Benchmarks.Input(png.toByteArray(), side, what);
    }
}
