package io.shiftsr.cli;

import io.shiftsr.image.Image;
import io.shiftsr.image.ImageException;
import io.shiftsr.image.ImageFormats;
import io.shiftsr.image.ImageReading;
import io.shiftsr.image.ImageWriting;
import io.shiftsr.image.InputFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Shared shape of "read each input, make one image, write OUT/<basename>.png" commands. */
abstract class ImageBatchCommand extends BaseCommand {
    @Parameters(arity = "1..*", paramLabel = "INPUT",
            description = "Image files, folders (their " + io.shiftsr.image.ImageFormats.EXTENSIONS_TEXT + " files) or glob patterns.")
    List<String> inputs;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR",
            description = "Output folder (created if missing). Outputs are DIR/<input base name>.png.")
    Path out;

    @Option(names = "--overwrite", description = "Replace existing outputs (default: keep them and skip).")
    boolean overwrite;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar, warnings or summary; errors still print.")
    boolean quiet;

    @Option(names = "--max-pixels", paramLabel = "N", defaultValue = "100000000",
            description = "Refuse inputs larger than N pixels (checked before decoding). Default: ${DEFAULT-VALUE}.")
    long maxPixels;

    /** Task name for the progress bar, and the verb of the summary ("degraded"). */
    protected abstract String task();

    protected abstract String verb();

    /** Makes the output image from one input. */
    protected abstract Image process(Path input, Image image);

    /**
     * Every file this command writes for {@code input}, the main output first ({@code --compare} adds one).
     * All of them are checked against the inputs and existing files before the input is read.
     */
    protected List<Path> outputsOf(Path input) {
        return List.of(out.resolve(InputFiles.baseName(input) + ".png"));
    }

    /** Makes the output and writes it to {@code target}; commands that can stream their output override this. */
    protected void processTo(Path input, Image image, Path target) {
        ImageWriting.write(process(input, image), target);
    }

    /** Checks options before any file is touched; throw via usageError. */
    protected void validate() {
    }

    @Override
    protected int run() {
        validate();
        if (maxPixels <= 0) {
            usageError("--max-pixels must be positive");
        }
        List<Path> files = InputFiles.listInputs(inputs);
        prepareOutputFolder();
        Batch batch = new Batch(task(), quiet, debug, err());
        // Every output of the run, planned before anything is written: an output that is any input of the run
        // (not only its own) or that another input also produces is an error for that input, with nothing written.
        // File identities are taken once, before anything is written.
        Map<Path, Path> inputByKey = new HashMap<>();
        Map<Path, Path> producedBy = new HashMap<>();
        Map<Path, Planned> plan = new HashMap<>();
        for (Path input : files) {
            List<Path> outputs = outputsOf(input);
            Planned p = new Planned(key(input), outputs, outputs.stream().map(ImageBatchCommand::key).toList());
            plan.put(input, p);
            inputByKey.putIfAbsent(p.inputKey(), input);
            p.outputKeys().forEach(k -> producedBy.putIfAbsent(k, input));
        }
        int code = batch.run(files, input -> {
            Planned p = plan.get(input);
            List<Path> outputs = p.outputs();
            Path replacer = producedBy.get(p.inputKey());
            if (replacer != null && !replacer.equals(input)) {
                throw new ImageException(input + ": an output of " + replacer + " has this name; inputs are never"
                        + " replaced, not written");
            }
            for (int i = 0; i < outputs.size(); i++) {
                Path o = outputs.get(i), k = p.outputKeys().get(i);
                Path first = producedBy.get(k);
                if (!first.equals(input)) {
                    throw new ImageException(input + ": output " + o + " is also an output of " + first
                            + ", not written");
                }
                if (inputByKey.containsKey(k)) {
                    throw new ImageException(input + ": output " + o + " would replace the input " + inputByKey.get(k)
                            + ", not written");
                }
            }
            List<Path> existing = outputs.stream().filter(Files::exists).toList();
            if (!existing.isEmpty() && !overwrite) {
                batch.warn(existing.get(0) + " exists, skipped (use --overwrite to replace it)");
                return Batch.Outcome.SKIPPED;
            }
            processTo(input, ImageReading.read(input, maxPixels), outputs.get(0));
            return Batch.Outcome.DONE;
        });
        batch.summary(files.size(), verb());
        return code;
    }

    /** An input's identity, its outputs and theirs (see {@link #key}). */
    private record Planned(Path inputKey, List<Path> outputs, List<Path> outputKeys) {}

    /** Identity of a file for clash checks: its real path (links followed), or its folder's for a new file. */
    private static Path key(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            return Files.exists(abs) ? abs.toRealPath() : abs.getParent().toRealPath().resolve(abs.getFileName());
        } catch (IOException | NullPointerException e) {
            return abs;
        }
    }

    private void prepareOutputFolder() {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new CliException(ExitCode.IO_ERROR, out + ": exists and is not a folder");
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new CliException(ExitCode.IO_ERROR, out + ": cannot create output folder (" + e + ")");
        }
        if (!Files.isWritable(out)) {
            throw new CliException(ExitCode.IO_ERROR, out + ": output folder is not writable");
        }
    }

    /** Refuses outputs whose pixel count would overflow the planar arrays. */
    static void checkOutputSize(Path input, long w, long h) {
        if (w * h > Integer.MAX_VALUE - 8) {
            throw new ImageException(input + ": output " + w + "x" + h + " is too large");
        }
    }
}
