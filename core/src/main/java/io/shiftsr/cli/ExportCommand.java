package io.shiftsr.cli;

import java.util.Locale;
import io.shiftsr.engine.Engine;
import io.shiftsr.model.SrNetwork;
import io.shiftsr.sr.ShiftSrModel;
import io.shiftsr.train.Checkpoints;
import io.shiftsr.train.TrainConfig;
import io.shiftsr.train.Trainer;
import io.shiftsr.weights.DType;
import io.shiftsr.sr.ModelFiles;
import io.shiftsr.weights.WeightsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shiftsr export}: the EMA weights of a checkpoint as a self-describing model file. */
@Command(name = "export", description = "Write a checkpoint's EMA weights as a model file (safetensors).")
final class ExportCommand extends BaseCommand {
    @Option(names = "--checkpoint", required = true, paramLabel = "FILE|DIR",
            description = "A checkpoint file, or a run dir (its newest valid checkpoint).")
    Path checkpoint;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE", description = "Model file to write.")
    Path out;

    @Option(names = "--fp16", description = "Store weights as float16 (half the size).")
    boolean fp16;

    @Option(names = "--default-steps", paramLabel = "N",
            description = "DeltaDiff steps the model runs at when none are asked for. Default: the run's run.valSteps.")
    Integer defaultSteps;

    @Option(names = "--default-ensemble", defaultValue = "1", paramLabel = "N",
            description = "Self-ensemble members (1, 2, 4, 8) the model runs with when none are asked for."
                    + " Default: ${DEFAULT-VALUE}.")
    int defaultEnsemble;

    @Option(names = "--clean-network", paramLabel = "MODEL",
            description = "Also store this model file's network to serve clean inputs (degradation level 0: lossless"
                    + " inputs without JPEG traces, --denoise off); only for a degradation-aware checkpoint.")
    Path cleanNetwork;

    @Option(names = "--overwrite", description = "Replace an existing model file (never a checkpoint or input).")
    boolean overwrite;

    @Override
    protected int run() {
        java.util.List<Path> inputs = new java.util.ArrayList<>(java.util.List.of(checkpoint));
        if (cleanNetwork != null) {
            inputs.add(cleanNetwork);
        }
        if (Files.isDirectory(checkpoint)) {
            inputs.addAll(new Checkpoints(checkpoint, Integer.MAX_VALUE).list());
        }
        OutputGuard.check(out, inputs, overwrite);
        // Before the checkpoint is loaded: a missing folder came out of the writer as "unexpected error".
        Path folder = out.toAbsolutePath().getParent();
        if (folder != null && !Files.isDirectory(folder)) {
            throw new CliException(ExitCode.IO_ERROR, out + ": folder " + folder + " does not exist");
        }
        Checkpoints.State st;
        try {
            if (Files.isDirectory(checkpoint)) {
                st = new Checkpoints(checkpoint, Integer.MAX_VALUE).loadNewestValid(this::error);
                if (st == null) {
                    throw new CliException(ExitCode.BAD_INPUT, checkpoint + ": no valid checkpoint found");
                }
            } else {
                st = Checkpoints.load(checkpoint);
            }
        } catch (WeightsException | IllegalArgumentException e) {
            throw new CliException(ExitCode.BAD_INPUT, e.getMessage());
        }
        TrainConfig cfg = TrainConfig.fromYaml(st.configYaml(), "checkpoint config");
        Engine.init();
        ShiftSrModel model = Trainer.modelOf(cfg, 0);
        int trainedSteps = model.schedule().steps();
        if (defaultSteps != null && (defaultSteps < 1 || defaultSteps > trainedSteps)) {
            usageError("--default-steps must be in 1.." + trainedSteps + ", got " + defaultSteps);
        }
        if (!io.shiftsr.sr.Sampling.isEnsembleSize(defaultEnsemble)) {
            usageError("--default-" + io.shiftsr.sr.Sampling.ensembleError(defaultEnsemble));
        }
        model = model.withDefaults(defaultSteps != null ? defaultSteps : model.defaultSteps(), defaultEnsemble);
        SrNetwork net = model.net();
        try {
            net.loadStateDict(st.ema());
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.BAD_INPUT, checkpoint + ": " + e.getMessage());
        }
        if (cleanNetwork != null) {
            ShiftSrModel clean;
            try {
                clean = ModelFiles.load(cleanNetwork);
            } catch (WeightsException e) {
                throw new CliException(ExitCode.BAD_INPUT, e.getMessage());
            }
            try {
                model = model.withCleanNetwork(clean.net());
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCode.BAD_INPUT, cleanNetwork + ": " + e.getMessage());
            }
            if (!clean.schedule().equals(model.schedule())) {
                throw new CliException(ExitCode.BAD_INPUT, cleanNetwork + ": its schedule differs from the checkpoint's");
            }
        }
        try {
            ModelFiles.save(model, net.namedParameters(), out, fp16 ? DType.F16 : DType.F32,
                    Map.of("training_steps", Long.toString(st.step())));
        } catch (WeightsException e) { // the output, not an input: a read-only folder, a full disk
            throw new CliException(ExitCode.IO_ERROR, e.getMessage());
        }
        out().printf(Locale.ROOT, "wrote %s (EMA weights at step %d, %,d parameters%s)%n", out, st.step(),
                net.parameterCount(), cleanNetwork == null ? ""
                        : String.format(Locale.ROOT, "; clean inputs: %,d more", model.cleanNetwork().parameterCount()));
        return ExitCode.OK;
    }
}
