package io.shiftsr.train;

import io.shiftsr.io.AtomicFiles;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The CSV log of a training run, {@code runDir/log.csv}: one {@code train} row per logged step and one
 * {@code val} row per validation, cells that do not apply left empty. Every row is flushed at once so a
 * killed run keeps its log; a resumed run appends to the same file after {@link #truncateAfter} has dropped
 * the rows a crashed run wrote past its last checkpoint.
 */
public final class TrainingLog implements Closeable {
    public static final String FILE_NAME = "log.csv";
    public static final String HEADER =
            "kind,step,time_s,loss,lr,samples_per_s,data_wait_frac,psnr_y,ssim_y,bicubic_psnr_y,bicubic_ssim_y";

    private final Path file;
    private BufferedWriter out;

    private TrainingLog(Path file) throws IOException {
        this.file = file;
        this.out = openAppend(file);
    }

    /** Opens (or creates, with the header) {@code runDir/log.csv} for appending. */
    public static TrainingLog open(Path runDir) {
        try {
            Files.createDirectories(runDir);
            return new TrainingLog(runDir.resolve(FILE_NAME));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the training log in " + runDir + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    public synchronized void logStep(long step, double timeS, double loss, double lr, double samplesPerS,
                                     double dataWaitFrac) {
        append(String.join(",", "train", Long.toString(step), time(timeS), g(loss), g(lr), g(samplesPerS),
                g(dataWaitFrac), "", "", "", ""));
    }

    public synchronized void logValidation(long step, double timeS, double psnrY, double ssimY,
                                           double bicubicPsnrY, double bicubicSsimY) {
        append(String.join(",", "val", Long.toString(step), time(timeS), "", "", "", "",
                psnr(psnrY), ssim(ssimY), psnr(bicubicPsnrY), ssim(bicubicSsimY)));
    }

    /** Atomically rewrites the file keeping only rows with step <= step (and the header); appending continues. */
    public synchronized void truncateAfter(long step) {
        try {
            out.close(); // the rename replaces the inode: the old append handle would write into the void
            List<String> kept = new ArrayList<>();
            kept.add(HEADER);
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                LogRow row = LogRow.parse(line);
                if (row != null && row.step() <= step) {
                    kept.add(line);
                }
            }
            AtomicFiles.write(file, o -> o.write((String.join("\n", kept) + "\n").getBytes(StandardCharsets.UTF_8)));
            out = openAppend(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot truncate " + file + ": " + e.getMessage(), e);
        }
    }

    /** All well-formed rows of the log (header and partial lines of a crash skipped). */
    public synchronized List<LogRow> rows() {
        return read(file);
    }

    /** Renders loss and validation PSNR curves of this log to a PNG, atomically. */
    public synchronized void writePlot(Path png) {
        TrainingPlot.write(rows(), png);
    }

    /** Reads the rows of a log file. */
    public static List<LogRow> read(Path csv) {
        try {
            List<LogRow> rows = new ArrayList<>();
            for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
                LogRow row = LogRow.parse(line);
                if (row != null) {
                    rows.add(row);
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void append(String row) {
        try {
            out.write(row);
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static BufferedWriter openAppend(Path file) throws IOException {
        boolean fresh = !Files.exists(file) || Files.size(file) == 0;
        boolean cutLine = !fresh && !endsWithNewline(file);
        BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        if (fresh) {
            w.write(HEADER);
            w.write('\n');
        } else if (cutLine) {
            w.write('\n'); // a run killed mid-row: end the fragment so it stays one (skipped) bad line
        }
        w.flush();
        return w;
    }

    private static boolean endsWithNewline(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            raf.seek(raf.length() - 1);
            return raf.read() == '\n';
        }
    }

    // Locale.ROOT: a German locale would write "0,5" and break the CSV.
    private static String g(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    private static String time(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String psnr(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String ssim(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }
}
