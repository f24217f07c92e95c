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
        "Inference: a 256x256 input x4 at 1, 4 and 15 steps with the default-size network."})
final class BenchCommand extends BaseCommand {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Training config whose model and batch are measured. Default: the project's configs/x4.yaml.")
    Path config;

    @Option(names = "--size", defaultValue = "256", paramLabel = "PX", description = "Input side for inference.")
    int size;

    @Option(names = "--repeats", defaultValue = "5", paramLabel = "N", description = "Timed repeats.")
    int repeats;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "Compute threads; 0 = all.")
    int threads;

    @Option(names = "--model", paramLabel = "FILE",
            description = "Model file measured at its default setting (repeatable, to compare files in one run)."
                    + " Default: the bundled model.")
    List<Path> models;

    @picocli.CommandLine.Mixin
    PrecisionOption precision = new PrecisionOption();

    @Option(names = "--only", paramLabel = "WHAT",
            description = "inference, training or data (training fed by the real data pipeline); default: the first two.")
    String only;

    @Override
    protected int run() {
        if (repeats < 1 || repeats > 1000) {
            usageError("--repeats must be 1 to 1000, got " + repeats);
        }
        if (size < 8 || size > 4096) {
            usageError("--size must be 8 to 4096 pixels, got " + size);
        }
        if (only != null && !List.of("inference", "training", "data").contains(only)) {
            usageError("--only must be inference, training or data, got '" + only + "'");
        }
        Threads.check(this, threads);
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
        if (only == null || only.equals("inference")) {
            for (Path m : models == null ? java.util.Collections.<Path>singletonList(null) : models) {
                try (ShiftSr sr = DefaultModel.load(m)) {
                    b.defaultSetting(sr.precision(p), size);
                } catch (io.shiftsr.weights.WeightsException e) {
                    throw new CliException(ExitCode.BAD_INPUT, e.getMessage());
                }
            }
            b.inference(cfg.model(), size);
        }
        if (only == null || only.equals("training")) {
            b.training(cfg);
        }
        if ("data".equals(only)) {
            b.trainingWithData(cfg, 20);
        }
        return ExitCode.OK;
    }
}
