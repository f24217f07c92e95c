package io.shiftsr.cli;

import io.shiftsr.io.OneLine;
import io.shiftsr.image.ImageException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs one job per input, keeps going past bad files (one error line each), and works out the exit code:
 * a single input keeps its own code (3 bad input, 4 I/O), a batch with any failure exits 1.
 */
final class Batch {
    /** Outcome of one input. */
    enum Outcome { DONE, SKIPPED }

    @FunctionalInterface
    interface Job {
        Outcome run(Path input) throws Exception;
    }

    private final String task;
    private final boolean quiet;
    private final boolean debug;
    private final PrintWriter err;

    int done;
    int skipped;
    int failed;
    private int singleCode = ExitCode.OK;
    private Progress progress;
    private Listener listener;

    /** Hears how each input ended: status "done", "skipped" or "error" (then with the error line), and its ms. */
    @FunctionalInterface
    interface Listener {
        void result(Path input, String status, String error, long ms);
    }

    void onResult(Listener l) {
        listener = l;
    }

    Batch(String task, boolean quiet, boolean debug, PrintWriter err) {
        this.task = task;
        this.quiet = quiet;
        this.debug = debug;
        this.err = err;
    }

    int run(List<Path> inputs, Job job) {
        try (Progress bar = new Progress(task, inputs.size(), quiet)) {
            progress = bar;
            for (Path input : inputs) {
                long start = System.nanoTime();
                String status = "error", error = null;
                try {
                    Outcome o = job.run(input);
                    if (o == Outcome.SKIPPED) {
                        skipped++;
                        status = "skipped";
                    } else {
                        done++;
                        status = "done";
                    }
                } catch (ImageException | CliException e) { // their messages name the input
                    error = report(e.getMessage(), e);
                    singleCode = ExitCode.of(e);
                } catch (Exception e) {
                    error = report(input + ": " + e.getMessage(), e);
                    singleCode = ExitCode.of(e);
                }
                if (listener != null) {
                    listener.result(input, status, error, (System.nanoTime() - start) / 1_000_000);
                }
                bar.step();
            }
        } finally {
            progress = null;
        }
        if (failed == 0) {
            return ExitCode.OK;
        }
        return inputs.size() == 1 ? singleCode : ExitCode.SOME_FAILED;
    }

    private String report(String message, Exception e) {
        failed++;
        clearBar();
        err.println("shiftsr: " + OneLine.of(message));
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return message;
    }

    private void clearBar() {
        if (progress != null) {
            progress.clearLine();
        }
    }

    /** Prints a warning line unless --quiet. */
    void warn(String message) {
        if (!quiet) {
            clearBar();
            err.println("shiftsr: warning: " + OneLine.of(message));
            err.flush();
        }
    }

    /** Summary line for batches ("8 written, 1 skipped, 2 failed"), only when there is something to say. */
    void summary(int total, String verb) {
        if (total > 1 && (failed > 0 || !quiet)) {
            StringBuilder sb = new StringBuilder("shiftsr: ").append(done).append(" of ").append(total)
                    .append(' ').append(verb);
            if (skipped > 0) {
                sb.append(", ").append(skipped).append(" skipped");
            }
            if (failed > 0) {
                sb.append(", ").append(failed).append(" failed");
            }
            err.println(sb);
            err.flush();
        }
    }
}
