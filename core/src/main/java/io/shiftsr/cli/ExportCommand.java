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

    @Option(names = "--average", paramLabel = "FILE",
            description = "Average these checkpoints' EMA weights with --checkpoint's, one weight each (a uniform"
                    + " weight average, e.g. of fine-tunes of one start); every one must have the same model"
                    + " config. Repeatable.")
    java.util.List<Path> average = new java.util.ArrayList<>();

    @Override
    protected int run() {
        java.util.List<Path> inputs = new java.util.ArrayList<>(java.util.List.of(checkpoint));
        if (cleanNetwork != null) {
            inputs.add(cleanNetwork);
        }
        if (Files.isDirectory(checkpoint)) {
            inputs.addAll(new Checkpoints(checkpoint, Integer.MAX_VALUE).list());
        }
        inputs.addAll(average);
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
        Map<String, float[]> ema = average.isEmpty() ? st.ema() : averaged(st.ema(), cfg);
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
            net.loadStateDict(ema);
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
        out().printf(Locale.ROOT, "wrote %s (EMA weights at step %d%s, %,d parameters%s)%n", out, st.step(),
                average.isEmpty() ? "" : String.format(Locale.ROOT, ", averaged with %d more checkpoint%s",
                        average.size(), average.size() == 1 ? "" : "s"),
                net.parameterCount(), cleanNetwork == null ? ""
                        : String.format(Locale.ROOT, "; clean inputs: %,d more", model.cleanNetwork().parameterCount()));
        return ExitCode.OK;
    }

    /**
     * The element-wise mean of {@code first} and the EMA weights of every --average checkpoint, summed in double:
     * each checkpoint must hold a network of the same model config, tensor for tensor.
     */
    private Map<String, float[]> averaged(Map<String, float[]> first, TrainConfig cfg) {
        Map<String, double[]> sum = new java.util.LinkedHashMap<>();
        first.forEach((name, v) -> {
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                d[i] = v[i];
            }
            sum.put(name, d);
        });
        for (Path other : average) {
            Checkpoints.State o;
            try {
                o = Checkpoints.load(other);
            } catch (WeightsException | IllegalArgumentException e) {
                throw new CliException(ExitCode.BAD_INPUT, e.getMessage());
            }
            if (!TrainConfig.fromYaml(o.configYaml(), "checkpoint config").model().equals(cfg.model())) {
                throw new CliException(ExitCode.BAD_INPUT, other + ": its model config differs from " + checkpoint
                        + "'s; only checkpoints of one network can be averaged");
            }
            Map<String, float[]> e = o.ema();
            if (!e.keySet().equals(sum.keySet())) {
                throw new CliException(ExitCode.BAD_INPUT, other + ": its EMA weights are not those of " + checkpoint);
            }
            e.forEach((name, v) -> {
                double[] d = sum.get(name);
                if (d.length != v.length) {
                    throw new CliException(ExitCode.BAD_INPUT, other + ": " + name + " has " + v.length
                            + " values, " + checkpoint + "'s " + d.length);
                }
                for (int i = 0; i < v.length; i++) {
                    d[i] += v[i];
                }
            });
        }
        int n = average.size() + 1;
        Map<String, float[]> mean = new java.util.LinkedHashMap<>();
        sum.forEach((name, d) -> {
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) (d[i] / n);
            }
            mean.put(name, f);
        });
        return mean;
    }
}
