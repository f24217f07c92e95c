package io.shiftsr.cli;

import io.shiftsr.engine.Engine;
import io.shiftsr.latent.UnshuffleCodec;
import io.shiftsr.model.DualDomainUNet;
import io.shiftsr.model.ShiftSrModel;
import io.shiftsr.train.Checkpoints;
import io.shiftsr.train.TrainConfig;
import io.shiftsr.weights.DType;
import io.shiftsr.weights.ModelFiles;
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

    @Override
    protected int run() {
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
        DualDomainUNet net = new DualDomainUNet(cfg.model(), 0);
        net.loadValues(st.groups().get("ema"));
        ShiftSrModel model = new ShiftSrModel(net, cfg.diffusion().schedule(), new UnshuffleCodec());
        ModelFiles.save(model, net.namedParameters(), out, fp16 ? DType.F16 : DType.F32,
                new java.util.TreeMap<>(Map.of("training_steps", Long.toString(st.step()), // sorted: same file each time
                        ModelFiles.SCALE_MIN, Double.toString(cfg.data().scaleMin()),
                        ModelFiles.SCALE_MAX, Double.toString(cfg.data().scaleMax()))));
        out().printf("wrote %s (EMA weights at step %d, %,d parameters)%n", out, st.step(), net.parameterCount());
        return ExitCode.OK;
    }
}
