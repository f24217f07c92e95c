package io.shiftsr.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * A progress bar on stderr for multi-image work, shown only on an interactive terminal (so logs and pipes
 * get no carriage-return spam) and never with --quiet.
 */
final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    Progress(String task, int total, boolean quiet) {
        boolean show = !quiet && total > 1 && System.console() != null;
        this.bar = show ? new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUpdateIntervalMillis(200)
                // A fixed width keeps the bar from probing the terminal through jline.
                .setConsumer(new ConsoleProgressBarConsumer(System.err, 100))
                .clearDisplayOnFinish()
                .build() : null;
    }

    boolean visible() {
        return bar != null;
    }

    void step() {
        if (bar != null) {
            bar.step();
        }
    }

    /** Clears the bar's line so a message printed next starts at column 0. */
    void clearLine() {
        if (bar != null) {
            System.err.print("\r\033[2K");
            System.err.flush();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
