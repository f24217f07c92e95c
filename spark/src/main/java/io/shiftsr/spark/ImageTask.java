package io.shiftsr.spark;

import io.shiftsr.ShiftSr;
import io.shiftsr.image.Image;
import io.shiftsr.image.ImageReading;
import io.shiftsr.sr.DegradationLevel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.UUID;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What a task does with one input: skip it when its output exists (unless overwrite), read it, upscale it with
 * the executor's model, write the output under a temporary name and rename it into place, so a task killed
 * half-way (or retried after its executor died) never leaves a half-written image under the final name. Every
 * failure becomes an error row; the job goes on.
 */
final class ImageTask {
    /** Temporary outputs live here below the output root; Spark and Hadoop skip folders starting with "_". */
    static final String TEMP_FOLDER = "_shiftsr_temporary";

    private ImageTask() {
    }

    /**
     * @param sameOutputAs the input that has this input's output and goes first, or null: then this one is an
     *                     error row, as the CLI reports two inputs with one output (a.png and a.jpg)
     */
    static ImageResult run(String input, String sameOutputAs, JobSettings s) {
        long start = System.nanoTime();
        String output = null;
        try {
            Path out = outputOf(input, s);
            output = out.toString();
            if (sameOutputAs != null) {
                return ImageResult.of(input, output, null, null, s.scale(), ms(start), "error", input + ": output "
                        + output + " is also the output of " + sameOutputAs + ", not written");
            }
            FileSystem fs = ExecutorModel.fileSystem(out, s);
            if (!s.overwrite() && fs.exists(out)) {
                return ImageResult.of(input, output, null, null, s.scale(), ms(start), "skipped", null);
            }
            Image lr = ImageReading.read(read(new Path(input), s), input, s.maxPixels());
            ShiftSr sr = ExecutorModel.get(s);
            int[] size = ShiftSr.outputSize(lr.width(), lr.height(), s.scale());
            Path tmp = new Path(new Path(s.outputRoot(), TEMP_FOLDER), UUID.randomUUID() + "." + s.format());
            DegradationLevel.Reading told;
            try {
                try (FSDataOutputStream os = fs.create(tmp, true)) {
                    told = sr.upscale(lr, s.scale(), (OutputStream) os, s.format(), s.quality(), null);
                    os.hsync(); // durable before it becomes visible under its name
                }
                fs.mkdirs(out.getParent());
                if (s.overwrite()) {
                    fs.delete(out, false);
                }
                if (!fs.rename(tmp, out)) {
                    throw new IOException("cannot rename the finished output into place");
                }
            } finally {
                fs.delete(tmp, false);
            }
            return ImageResult.of(input, output, size[0], size[1], s.scale(), ms(start), "done", null, told);
        } catch (Exception | OutOfMemoryError e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return ImageResult.of(input, output, null, null, s.scale(), ms(start), "error", firstLine(why));
        }
    }

    /** OUTPUT/<path below its input root, extension replaced by the format's>. */
    static Path outputOf(String input, JobSettings s) {
        String rel = null;
        for (String root : s.inputRoots()) {
            String prefix = root.endsWith("/") ? root : root + "/";
            if (input.startsWith(prefix)) {
                rel = input.substring(prefix.length());
                break;
            }
        }
        if (rel == null) {
            rel = new Path(input).getName();
        }
        int slash = rel.lastIndexOf('/');
        int dot = rel.lastIndexOf('.');
        String base = dot > slash + 1 ? rel.substring(0, dot) : rel;
        return new Path(s.outputRoot(), base + "." + s.format());
    }

    private static byte[] read(Path p, JobSettings s) throws IOException {
        if ("file".equals(p.toUri().getScheme())) {
            java.nio.file.Path local = java.nio.file.Path.of(p.toUri().getPath());
            if (java.nio.file.Files.isSymbolicLink(local) && !java.nio.file.Files.exists(local)) {
                throw new IOException(p + ": a symbolic link whose target does not exist ("
                        + java.nio.file.Files.readSymbolicLink(local) + ")");
            }
        }
        long maxBytes = s.maxInputBytes();
        FileSystem fs = ExecutorModel.fileSystem(p, s);
        long len = fs.getFileStatus(p).getLen();
        if (len > maxBytes) {
            throw new IllegalArgumentException(p + ": " + len + " bytes exceeds the limit of " + maxBytes
                    + " (raise it with --max-input-mb)");
        }
        try (InputStream in = fs.open(p)) {
            return in.readNBytes((int) len);
        }
    }

    private static long ms(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
