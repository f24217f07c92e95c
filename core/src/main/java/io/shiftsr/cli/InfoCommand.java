package io.shiftsr.cli;

import java.util.Locale;
import io.shiftsr.ShiftSr;
import io.shiftsr.engine.Engine;
import io.shiftsr.sr.ShiftSrModel;
import io.shiftsr.weights.WeightsException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code shiftsr info MODEL}: what a model file holds, its size and its cost. */
@Command(name = "info", description = "Describe a model file: architecture, schedule, parameters and FLOPs.")
final class InfoCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "Model file (.safetensors).", arity = "0..1")
    Path model;

    @picocli.CommandLine.Mixin
    Threads threadsOption = new Threads();
    private int threads;

    @Override
    protected int run() {
        threads = threadsOption.get(this);
        Engine.init(threads);
        ShiftSr sr;
        try {
            sr = DefaultModel.load(model, this::notice);
        } catch (WeightsException e) {
            throw new CliException(ExitCode.BAD_INPUT, e.getMessage());
        }
        ShiftSrModel m = sr.model();
        String file = model != null ? model.toString() : DefaultModel.describe();
        long macs = m.net().macsPerLatentPixel();
        int f = m.codec().factor();
        out().printf(Locale.ROOT, "model:        %s%n", file);
        out().printf(Locale.ROOT, "network:      %s: %s%n", m.net().config().shape(), m.net().config());
        out().printf(Locale.ROOT, "parameters:   %,d%n", m.net().parameterCount());
        out().printf(Locale.ROOT, "latent:       %s (factor %d, %d channels)%n", m.codec().name(), f, m.codec().channels());
        int steps = m.defaultSteps();
        out().printf(Locale.ROOT, "FLOPs:        %,d per latent pixel per step (%,.0f per output pixel)%n", 2 * macs,
                2.0 * macs / (f * f));
        int members = m.defaultEnsemble();
        out().printf(Locale.ROOT, "default:      DeltaDiff %d step%s%s, %,.0f FLOPs per output pixel%n", steps,
                steps == 1 ? "" : "s", members == 1 ? "" : ", self-ensemble of " + members, m.defaultFlopsPerOutputPixel());
        out().printf(Locale.ROOT, "scales:       %s%n", m.trainedScales());
        out().printf(Locale.ROOT, "denoise:      %s%n", !m.degradationAware() ? "clean inputs only (--denoise is ignored)"
                : "degradation-aware (--denoise auto reads a JPEG's quality from the file or its pixels)" + (m.cleanNetwork() == null
                        ? "" : String.format(Locale.ROOT, "; clean inputs run a second network of %,d parameters",
                                m.cleanNetwork().parameterCount())));
        out().printf(Locale.ROOT, "schedule:     T=%d p=%.2f sqrt(eta_1)=%.4f sqrt(eta_T)=%.4f kappa=%.2f%n",
                m.schedule().steps(), m.schedule().power(), m.schedule().sqrtEta1(), m.schedule().sqrtEtaT(),
                m.schedule().kappa());
        m.metadata().forEach((k, v) -> {
            if (!k.equals("model_config") && !k.equals("schedule")) {
                out().printf(Locale.ROOT, "%-13s %s%n", k + ":", v);
            }
        });
        out().printf(Locale.ROOT, "threads:      %d%n", Engine.threads());
        out().printf(Locale.ROOT, "precision:    %s here (--precision auto: native bfloat16 %s)%n",
                sr.precision(),
                io.shiftsr.engine.Precision.hasBf16Hardware() ? "found" : "not found");
        return ExitCode.OK;
    }
}
