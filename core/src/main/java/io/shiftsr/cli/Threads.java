package io.shiftsr.cli;

/** The bound of every --threads option: more compute threads than cores only slow libtorch down. */
final class Threads {
    private Threads() {
    }

    /** Usage error unless 0 (all cores) <= threads <= the cores of this machine. */
    static void check(BaseCommand command, int threads) {
        int cores = Runtime.getRuntime().availableProcessors();
        if (threads < 0 || threads > cores) {
            command.usageError("--threads must be 0 (all cores) to " + cores + " (this machine's cores), got " + threads);
        }
    }
}
