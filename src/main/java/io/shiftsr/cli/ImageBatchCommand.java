package io.shiftsr.cli;

import io.shiftsr.image.Image;
import io.shiftsr.image.ImageException;
import io.shiftsr.image.ImageFiles;
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
            description = "Image files, folders (their png/jpg/jpeg/bmp/webp files) or glob patterns.")
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

    /** Makes the output and writes it to {@code target}; commands that can stream their output override this. */
    protected void processTo(Path input, Image image, Path target) {
        ImageFiles.write(process(input, image), target);
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
        List<Path> files = ImageFiles.listInputs(inputs);
        prepareOutputFolder();
        Batch batch = new Batch(task(), quiet, debug, err());
        Map<Path, Path> producedBy = new HashMap<>();
        int code = batch.run(files, input -> {
            Path target = out.resolve(ImageFiles.baseName(input) + ".png");
            Path clash = producedBy.putIfAbsent(target, input);
            if (clash != null) {
                throw new ImageException(input + ": same output name as " + clash + " (" + target + "), not written");
            }
            if (Files.exists(target) && sameFile(target, input)) {
                throw new ImageException(input + ": output " + target + " would replace the input, not written");
            }
            if (Files.exists(target) && !overwrite) {
                batch.warn(target + " exists, skipped (use --overwrite to replace it)");
                return Batch.Outcome.SKIPPED;
            }
            processTo(input, ImageFiles.read(input, maxPixels), target);
            return Batch.Outcome.DONE;
        });
        batch.summary(files.size(), verb());
        return code;
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
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
