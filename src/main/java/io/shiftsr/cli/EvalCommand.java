package io.shiftsr.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.shiftsr.engine.Engine;
import io.shiftsr.eval.Evaluation;
import io.shiftsr.image.ImageFiles;
import io.shiftsr.io.AtomicFiles;
import io.shiftsr.model.ShiftSrModel;
import io.shiftsr.weights.ModelFiles;
import io.shiftsr.weights.WeightsException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shiftsr eval}: bicubic and model settings on a set of HR images, as report.json and report.md. */
@Command(name = "eval", description = {"Score bicubic and the model (each process and step count) on HR images.",
        "Writes REPORT_DIR/report.json and REPORT_DIR/report.md."})
final class EvalCommand extends BaseCommand {
    @Option(names = "--hr", required = true, paramLabel = "DIR", description = "High-resolution images.")
    Path hr;

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

    @Option(names = "--steps", defaultValue = "1,4", split = ",", paramLabel = "N",
            description = "Step counts, comma-separated. Default: ${DEFAULT-VALUE}.")
    List<Integer> steps;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N", description = "Seed of the resshift noise.")
    long seed;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "REPORT_DIR", description = "Report folder.")
    Path out;

    @Option(names = {"-q", "--quiet"}, description = "No per-image lines.")
    boolean quiet;

    @Override
    protected int run() throws Exception {
        if (!(scale > 1 && scale <= 4)) {
            usageError("--scale must be in (1, 4]");
        }
        Engine.init();
        ShiftSrModel m;
        try {
            Path file = model != null ? model : DefaultModel.path();
            m = ModelFiles.load(file);
            ModelFiles.requireTrainedScale(file, scale);
        } catch (WeightsException e) {
            throw new CliException(ExitCode.BAD_INPUT, e.getMessage());
        }
        List<Evaluation.Setting> settings = new ArrayList<>(List.of(Evaluation.Setting.bicubic()));
        for (String p : processes) {
            if (!p.equals("deltadiff") && !p.equals("resshift")) {
                usageError("--process takes deltadiff and/or resshift, got '" + p + "'");
            }
            for (int n : steps) {
                if (n < 1 || n > m.schedule().steps()) {
                    usageError("--steps must be in 1.." + m.schedule().steps() + " for this model");
                }
                settings.add(new Evaluation.Setting(p + "-" + n, p, n, p.equals("resshift") ? m.schedule().kappa() : 0));
            }
        }
        List<Evaluation.Pair> pairs = Evaluation.pairs(ImageFiles.listInputs(List.of(hr.toString())), lr, scale);
        Evaluation.Report report = Evaluation.run(pairs, scale, m, settings, seed, line -> {
            if (!quiet) {
                err().println(line);
                err().flush();
            }
        });
        Files.createDirectories(out);
        byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(report);
        AtomicFiles.write(out.resolve("report.json"), o -> o.write(json));
        String md = "# ShiftSR evaluation\n\n" + Evaluation.markdown(report);
        AtomicFiles.write(out.resolve("report.md"), o -> o.write(md.getBytes(StandardCharsets.UTF_8)));
        out().print(Evaluation.markdown(report));
        out().flush();
        return ExitCode.OK;
    }
}
