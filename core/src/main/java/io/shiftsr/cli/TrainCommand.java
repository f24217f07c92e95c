package io.shiftsr.cli;

import java.util.Locale;
import io.shiftsr.train.TrainConfig;
import io.shiftsr.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shiftsr train}: train a model from a YAML config (configs/x4.yaml, configs/tiny.yaml). */
@Command(name = "train", description = {"Train a ShiftSR model on a folder of photos.",
        "Checkpoints, log.csv, training.png and validation.png go to run.dir."})
final class TrainCommand extends BaseCommand {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "YAML config.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key, e.g. --set optim.lr=1e-4.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--resume", description = "Continue from the newest valid checkpoint in run.dir.")
    boolean resume;

    @Option(names = "--init", paramLabel = "MODEL", description = "Start from this model file's weights (fine-tune);"
            + " ignored when --resume finds a checkpoint.")
    Path init;

    @Option(names = "--max-minutes", paramLabel = "M", description = "Stop (with a checkpoint) after M minutes.")
    Double maxMinutes;

    @Option(names = "--stop-at-step", paramLabel = "N", description = "Stop (with a checkpoint) once step N is done;"
            + " the learning-rate schedule still runs to optim.totalSteps (equal-work studies, a run split in parts).")
    Long stopAtStep;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "Override run.dir.")
    String runDir;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Override
    protected int run() throws Exception {
        if (!Files.isRegularFile(config)) {
            throw new CliException(ExitCode.BAD_INPUT, config + ": no such config file");
        }
        if (maxMinutes != null && !(maxMinutes >= 0 && maxMinutes < 1e7)) {
            usageError("--max-minutes must be >= 0 (0 = no limit), got " + (Double.isFinite(maxMinutes)
                    ? new java.math.BigDecimal(maxMinutes.toString()).stripTrailingZeros().toPlainString() : maxMinutes));
        }
        if (stopAtStep != null && stopAtStep < 1) {
            usageError("--stop-at-step must be >= 1, got " + stopAtStep);
        }
        List<String> all = new ArrayList<>(overrides);
        if (maxMinutes != null) {
            all.add("run.maxMinutes=" + maxMinutes);
        }
        if (runDir != null) {
            all.add("run.dir=\"" + runDir + "\"");
        }
        if (init != null && !Files.isRegularFile(init)) {
            throw new CliException(ExitCode.BAD_INPUT, init + ": no such model file");
        }
        TrainConfig cfg;
        try {
            cfg = TrainConfig.load(config, all);
        } catch (TrainConfig.ConfigException e) {
            throw new CliException(ExitCode.BAD_INPUT, e.getMessage());
        }
        out().println("# resolved config");
        out().print(cfg.toYaml());
        out().flush();
        boolean showBar = !quiet && System.console() != null;
        ProgressBar[] bar = {null};
        Trainer trainer = new Trainer(cfg, new Trainer.Listener() {
            @Override
            public void message(String line) {
                if (bar[0] != null) {
                    System.err.print("\r\033[2K");
                }
                err().println(line);
                err().flush();
            }

            @Override
            public void progress(long step, long total, double loss, double lr, double samplesPerS) {
                if (!showBar) {
                    return;
                }
                if (bar[0] == null) {
                    bar[0] = new ProgressBarBuilder().setTaskName("train").setInitialMax(total)
                            .setConsumer(new ConsoleProgressBarConsumer(System.err, 110)).setUpdateIntervalMillis(500)
                            .showSpeed().build();
                }
                bar[0].stepTo(step);
                bar[0].setExtraMessage(String.format(Locale.ROOT, "loss %.4f lr %.2e %.1f samples/s", loss, lr, samplesPerS));
            }
        });
        if (stopAtStep != null) {
            trainer.stopAfter(stopAtStep);
        }
        Trainer.Outcome o;
        try {
            o = trainer.run(resume, init);
        } catch (TrainConfig.ConfigException | IllegalArgumentException e) {
            throw new CliException(ExitCode.BAD_INPUT, e.getMessage());
        } finally {
            if (bar[0] != null) {
                bar[0].close();
            }
        }
        out().printf(Locale.ROOT, "trained steps %d..%d; checkpoint %s%n", o.firstStep(), o.lastStep(),
                o.checkpoint() == null ? "(none written)" : o.checkpoint());
        if (o.lastValidation() != null) {
            var v = o.lastValidation();
            out().printf(Locale.ROOT, "val psnr_y=%.4f ssim_y=%.4f bicubic psnr_y=%.4f ssim_y=%.4f%n", v.psnrY(), v.ssimY(),
                    v.bicubicPsnrY(), v.bicubicSsimY());
        }
        return ExitCode.OK;
    }
}
