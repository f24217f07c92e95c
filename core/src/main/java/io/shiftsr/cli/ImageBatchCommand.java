package io.shiftsr.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shiftsr.image.Image;
import io.shiftsr.image.ImageException;
import io.shiftsr.image.ImageFormats;
import io.shiftsr.image.ImageReading;
import io.shiftsr.image.ImageWriting;
import io.shiftsr.image.InputFiles;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Shared shape of "read each input, make one image, write OUT/<relative path><suffix>.<format>" commands. */
abstract class ImageBatchCommand extends BaseCommand {
    @Parameters(arity = "0..*", paramLabel = "INPUT",
            description = "Image files, folders (their " + ImageFormats.EXTENSIONS_TEXT + " files) or glob patterns.")
    List<String> inputs = new ArrayList<>();

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR",
            description = "Output folder (created if missing). Outputs are DIR/<input base name><suffix>.<format>.")
    Path out;

    @Option(names = "--format", defaultValue = "png", paramLabel = "F",
            description = "Output format: " + ImageFormats.OUTPUTS_TEXT + " (WebP is read, not written). PNG and TIFF"
                    + " keep alpha and 16 bits. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--quality", defaultValue = "95", paramLabel = "Q",
            description = "JPEG quality, 1-100. Default: ${DEFAULT-VALUE}.")
    int quality;

    @Option(names = "--suffix", defaultValue = "", paramLabel = "S",
            description = "Appended to each output's base name (e.g. _x4). Default: none.")
    String suffix;

    @Option(names = {"-r", "--recursive"},
            description = "Walk folders recursively and mirror their tree under --out.")
    boolean recursive;

    @Option(names = "--files-from", paramLabel = "FILE",
            description = "Also read inputs from FILE, one per line (- = standard input; blank lines and # comments skipped).")
    String filesFrom;

    @Option(names = "--jsonl", paramLabel = "FILE",
            description = "Write one JSON record per input to FILE (- = standard output; input, output, size, ms,"
                    + " status, error; upscale: what --denoise read).")
    Path jsonl;

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

    /** Where each input's outputs go: OUT/<relative folder>/<base><suffix>.<ext>. */
    private final Map<Path, Path> relativeOf = new HashMap<>();

    /** Output file name extension of --format. */
    protected String extension() {
        return format;
    }

    /** The main output of an input, with another ending in place of "<suffix>.<format>" when given. */
    protected Path outputFor(Path input, String ending) {
        Path rel = relativeOf.getOrDefault(input, input.getFileName());
        Path folder = rel.getParent() == null ? out : out.resolve(rel.getParent());
        return folder.resolve(InputFiles.baseName(input) + ending);
    }

    /**
     * Every file this command writes for {@code input}, the main output first ({@code --compare} adds one).
     * All of them are checked against the inputs and existing files before the input is read.
     */
    protected List<Path> outputsOf(Path input) {
        return List.of(outputFor(input, suffix + "." + extension()));
    }

    /**
     * Makes the output and writes it to {@code target}, replacing a file there only with --overwrite (also one
     * that appeared since the run checked); commands that can stream their output override this.
     */
    protected void processTo(Path input, Path target) {
        Image result = process(input, ImageReading.read(input, maxPixels));
        if (writes(target)) {
            ImageWriting.write(result, target, quality, overwrite);
        }
        recordSize(input, result.width(), result.height());
    }

    /**
     * Outputs of the input this thread works on that exist and are kept (without --overwrite): not written again.
     * Per thread, as {@link #jobs} inputs may be in work at once.
     */
    private final ThreadLocal<List<Path>> kept = ThreadLocal.withInitial(List::of);

    /** Whether the current input's output {@code o} is to be written (false for one that exists and is kept). */
    protected boolean writes(Path o) {
        return !kept.get().contains(o);
    }

    /**
     * How many inputs to work on at once, decided once the inputs are listed (they are not read yet): 1 here;
     * a command whose work leaves cores idle between images overrides it. Called once, before the first input.
     */
    protected int jobs(List<Path> inputs) {
        return 1;
    }

    /** Checks options before any file is touched; throw via usageError. */
    protected void validate() {
    }

    private final Map<Path, int[]> sizes = new java.util.concurrent.ConcurrentHashMap<>();

    /** Remembers an output's size for --jsonl. */
    protected void recordSize(Path input, int w, int h) {
        sizes.put(input, new int[] {w, h});
    }

    /** A command's own fields of an input's --jsonl record, after the common ones (none here). */
    protected Map<String, Object> jsonFields(Path input) {
        return Map.of();
    }

    @Override
    protected int run() {
        if (!ImageFormats.OUTPUTS.contains(format)) {
            usageError("--format must be one of " + ImageFormats.OUTPUTS_TEXT + ", got '" + format + "'");
        }
        if (quality < 1 || quality > 100) {
            usageError("--quality must be 1-100, got " + quality);
        }
        if (suffix.contains("/") || suffix.contains("\\") || suffix.contains("\0")) {
            usageError("--suffix must not contain path separators");
        }
        if (maxPixels <= 0) {
            usageError("--max-pixels must be positive");
        }
        List<String> args = new ArrayList<>(inputs);
        if (filesFrom != null) {
            args.addAll(readList(filesFrom));
        }
        if (args.isEmpty()) {
            usageError("no inputs: give INPUT arguments or --files-from");
        }
        validate();
        // A missing file among others is that input's error (the batch goes on); with nothing there at all, the
        // run's error.
        List<Path> missing = new ArrayList<>();
        List<InputFiles.Input> listed = InputFiles.listInputs(args, recursive, missing, out);
        if (listed.isEmpty() && !missing.isEmpty()) {
            throw new ImageException(missing.get(0) + ": no such file or folder");
        }
        List<Path> files = new ArrayList<>();
        for (InputFiles.Input in : listed) {
            files.add(in.path());
            relativeOf.put(in.path(), in.relative());
        }
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
        if (jsonl != null && !JsonLines.toStdout(jsonl)) {
            checkRecordsFile(inputByKey, producedBy);
            OutputGuard.check(jsonl, files, overwrite);
        }
        prepareOutputFolder(out);
        Batch batch = new Batch(task(), quiet, debug, err());
        try (JsonLines records = jsonl == null ? null : JsonLines.open(jsonl, out())) {
            if (records != null) {
                batch.onResult((input, status, error, ms) -> records.write(input, plan.containsKey(input)
                        ? plan.get(input).outputs().get(0) : null, sizes.get(input), status, error, ms,
                        jsonFields(input)));
            }
            List<Path> all = new ArrayList<>(missing);
            all.addAll(files);
            int code = batch.run(all, jobs(files), input -> {
                Planned p = plan.get(input);
                if (p == null) {
                    throw new ImageException(input + ": no such file or folder");
                }
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
                        throw new ImageException(input + ": output " + o + " would replace the input "
                                + inputByKey.get(k) + ", not written");
                    }
                }
                // Skipped only when every output is there: a run stopped between two outputs (--compare) left
                // one, and the rerun makes the missing ones, keeping the existing ones.
                List<Path> existing = overwrite ? List.of() : outputs.stream().filter(Files::exists).toList();
                if (existing.size() == outputs.size()) {
                    batch.warn(existing.get(0) + " exists, skipped (use --overwrite to replace it)");
                    return Batch.Outcome.SKIPPED;
                }
                for (Path o : existing) {
                    batch.warn(o + " exists, kept (use --overwrite to replace it)");
                }
                kept.set(existing);
                for (Path o : outputs) {
                    prepareOutputFolder(o.toAbsolutePath().getParent());
                }
                try {
                    processTo(input, outputs.get(0));
                } catch (ImageException e) {
                    if (!ImageWriting.isExisting(e)) {
                        throw e;
                    }
                    // Another run wrote it after the check above: the final move never replaces it.
                    batch.warn(e.getMessage() + ", skipped (it appeared during this run; use --overwrite to replace"
                            + " it)");
                    return Batch.Outcome.SKIPPED;
                }
                return Batch.Outcome.DONE;
            });
            batch.summary(all.size(), verb());
            return code;
        } catch (IOException e) {
            throw new CliException(ExitCode.IO_ERROR, jsonl + ": cannot write (" + e.getMessage() + ")");
        }
    }

    /**
     * The --jsonl file is opened (emptied) before the first input is read and written after each: as an input
     * or --files-from list of the run it would be lost, as one of its outputs the image would replace the
     * records (or be skipped as existing). Either is a usage error, before anything is touched.
     */
    private void checkRecordsFile(Map<Path, Path> inputByKey, Map<Path, Path> producedBy) {
        Path k = key(jsonl);
        if (inputByKey.containsKey(k)) {
            usageError("--jsonl " + jsonl + " is the input " + inputByKey.get(k) + " of this run; choose another"
                    + " file for the records");
        }
        if (filesFrom != null && !filesFrom.equals("-") && k.equals(key(Path.of(filesFrom)))) {
            usageError("--jsonl " + jsonl + " is the --files-from list of this run; choose another file for the"
                    + " records");
        }
        if (producedBy.containsKey(k)) {
            usageError("--jsonl " + jsonl + " is also an output of " + producedBy.get(k) + " in this run; choose"
                    + " another file for the records");
        }
    }

    /** Most lines, and longest line in bytes, that --files-from reads: a list, not /dev/zero or a runaway pipe. */
    static final int MAX_LIST_LINES = 1_000_000;
    static final int MAX_LIST_LINE = 64 * 1024;

    /** Input paths from a list file or standard input ("-"), within MAX_LIST_LINES lines of MAX_LIST_LINE. */
    private List<String> readList(String source) {
        try (java.io.InputStream in = source.equals("-") ? System.in : Files.newInputStream(Path.of(source))) {
            return readList(new java.io.BufferedInputStream(in), source);
        } catch (IOException | java.io.UncheckedIOException | java.nio.file.InvalidPathException e) {
            throw new CliException(ExitCode.BAD_INPUT, "--files-from " + source + ": cannot read ("
                    + e.getMessage() + ")");
        }
    }

    /**
     * The paths of a --files-from list: one per line (\n, \r\n or \r), blank lines and lines starting with # left
     * out, surrounding spaces stripped. Each line is decoded as UTF-8 on its own, so an error names its line. A
     * NUL byte, a line over MAX_LIST_LINE bytes, more than MAX_LIST_LINES lines or bytes that are not UTF-8 are a
     * one-line CliException naming the line.
     */
    static List<String> readList(java.io.InputStream in, String source) throws IOException {
        List<String> lines = new ArrayList<>();
        int count = 0;
        // readLine() would hold an endless line (/dev/zero) in memory until it ran out: read within bounds.
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        boolean afterCr = false;
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\n' && afterCr) { // \r\n ends one line
                afterCr = false;
                continue;
            }
            if (count == MAX_LIST_LINES) {
                throw new CliException(ExitCode.BAD_INPUT, "--files-from " + source + ": more than "
                        + String.format(java.util.Locale.ROOT, "%,d", MAX_LIST_LINES) + " lines");
            }
            afterCr = c == '\r';
            if (c == '\n' || c == '\r') {
                addListLine(lines, line, ++count, source);
            } else if (c == 0) {
                throw new CliException(ExitCode.BAD_INPUT, "--files-from " + source + ": line " + (count + 1)
                        + " has a NUL byte (not a list of paths)");
            } else if (line.size() == MAX_LIST_LINE) {
                throw new CliException(ExitCode.BAD_INPUT, "--files-from " + source + ": line " + (count + 1)
                        + " is longer than " + MAX_LIST_LINE + " bytes");
            } else {
                line.write(c);
            }
        }
        addListLine(lines, line, count + 1, source);
        return lines;
    }

    private static void addListLine(List<String> lines, java.io.ByteArrayOutputStream bytes, int number,
            String source) {
        String t;
        try {
            t = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes.toByteArray())).toString()
                    .strip();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new CliException(ExitCode.BAD_INPUT, "--files-from " + source + ": line " + number
                    + " is not UTF-8 text (a list of paths must be UTF-8)");
        }
        if (!t.isEmpty() && !t.startsWith("#")) {
            lines.add(t);
        }
        bytes.reset();
    }

    /** --jsonl: one record per input, flushed as it is written, so a crashed run keeps what it did. */
    private static final class JsonLines implements AutoCloseable {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final Writer w;
        private final boolean owned;

        /** @param owned close {@code w} at the end (a file), or only flush it (standard output) */
        private JsonLines(Writer w, boolean owned) {
            this.w = w;
            this.owned = owned;
        }

        /** True for "-": the records go to standard output, as --files-from - reads standard input. */
        static boolean toStdout(Path file) {
            return file.toString().equals("-");
        }

        /** Records into {@code file}, or into {@code stdout} when the file is "-". */
        static JsonLines open(Path file, Writer stdout) throws IOException {
            return toStdout(file) ? new JsonLines(stdout, false)
                    : new JsonLines(Files.newBufferedWriter(file, StandardCharsets.UTF_8), true);
        }

        void write(Path input, Path output, int[] size, String status, String error, long ms,
                Map<String, Object> more) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("input", input.toString());
            r.put("output", status.equals("error") ? null : output.toString());
            r.put("width", size == null ? null : size[0]);
            r.put("height", size == null ? null : size[1]);
            r.put("ms", ms);
            r.put("status", status);
            r.put("error", error);
            r.putAll(more);
            try {
                w.write(JSON.writeValueAsString(r));
                w.write('\n');
                w.flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            if (owned) {
                w.close();
            } else {
                w.flush();
            }
        }
    }

    /** An input's identity, its outputs and theirs (see {@link #key}). */
    private record Planned(Path inputKey, List<Path> outputs, List<Path> outputKeys) {}

    /** Identity of a file for clash checks: its real path (links followed), or its folder's for a new file. */
    private static Path key(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            return Files.exists(abs) ? abs.toRealPath() : realFolder(abs.getParent()).resolve(abs.getFileName());
        } catch (IOException | NullPointerException e) {
            return abs;
        }
    }

    /** The real path of a folder that may not exist yet (its nearest existing ancestor's, plus the rest). */
    private static Path realFolder(Path dir) throws IOException {
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing == null ? dir : existing.toRealPath().resolve(existing.relativize(dir));
    }

    private static void prepareOutputFolder(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new CliException(ExitCode.IO_ERROR, dir + ": exists and is not a folder");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CliException(ExitCode.IO_ERROR, dir + ": cannot create output folder (" + e + ")");
        }
        if (!Files.isWritable(dir)) {
            throw new CliException(ExitCode.IO_ERROR, dir + ": output folder is not writable");
        }
    }

    /** Refuses outputs whose pixel count would overflow the planar arrays. */
    static void checkOutputSize(Path input, long w, long h) {
        if (w * h > Integer.MAX_VALUE - 8) {
            throw new ImageException(input + ": output " + w + "x" + h + " is too large");
        }
    }
}
