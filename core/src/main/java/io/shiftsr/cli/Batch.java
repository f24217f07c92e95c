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
        return run(inputs, 1, job);
    }

    /**
     * Runs {@code job} on every input, {@code jobs} of them at once (1: one after the other, in order). Each input's
     * outcome is counted, reported and handed to the listener as it ends, one at a time; an Error in any job (out
     * of memory) stops the run and is rethrown once the jobs started have ended.
     */
    int run(List<Path> inputs, int jobs, Job job) {
        try (Progress bar = new Progress(task, inputs.size(), quiet)) {
            progress = bar;
            if (jobs <= 1 || inputs.size() < 2) {
                for (Path input : inputs) {
                    runOne(input, job, bar);
                }
            } else {
                runConcurrently(inputs, jobs, job, bar);
            }
        } finally {
            progress = null;
        }
        if (failed == 0) {
            return ExitCode.OK;
        }
        return inputs.size() == 1 ? singleCode : ExitCode.SOME_FAILED;
    }

    private void runConcurrently(List<Path> inputs, int jobs, Job job, Progress bar) {
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<Error> fatal = new java.util.concurrent.atomic.AtomicReference<>();
        List<Thread> workers = new java.util.ArrayList<>();
        for (int w = 0; w < Math.min(jobs, inputs.size()); w++) {
            Thread t = new Thread(() -> {
                for (int i; fatal.get() == null && (i = next.getAndIncrement()) < inputs.size(); ) {
                    try {
                        runOne(inputs.get(i), job, bar);
                    } catch (Error e) {
                        fatal.compareAndSet(null, e);
                    }
                }
            }, "shiftsr-" + task + "-" + w);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        boolean interrupted = false;
        for (Thread t : workers) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (fatal.get() != null) {
            throw fatal.get();
        }
    }

    /** One input: the job, then its outcome counted and reported (one input's report at a time). */
    private void runOne(Path input, Job job, Progress bar) {
        long start = System.nanoTime();
        String status = "error", error = null;
        Exception failure = null;
        Outcome o = null;
        try {
            o = job.run(input);
        } catch (Exception e) {
            failure = e;
        }
        synchronized (this) {
            if (failure instanceof ImageException || failure instanceof CliException) { // their messages name the input
                error = report(failure.getMessage(), failure);
                singleCode = ExitCode.of(failure);
            } else if (failure != null) {
                error = report(input + ": " + failure.getMessage(), failure);
                singleCode = ExitCode.of(failure);
            } else if (o == Outcome.SKIPPED) {
                skipped++;
                status = "skipped";
            } else {
                done++;
                status = "done";
            }
            if (listener != null) {
                listener.result(input, status, error, (System.nanoTime() - start) / 1_000_000);
            }
            bar.step();
        }
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
    synchronized void warn(String message) {
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
