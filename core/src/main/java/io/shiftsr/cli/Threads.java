package io.shiftsr.cli;

import picocli.CommandLine.Option;

/** --threads, shared by the commands that compute (a picocli mixin), with its one bound. */
final class Threads {
    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "Compute threads; 0 = all cores. Default: ${DEFAULT-VALUE}.")
    int value;

    /**
     * The checked value: a usage error unless 0 (all cores) <= threads <= the logical CPUs of this machine, as
     * more compute threads than CPUs only slow libtorch down. The bound is the logical count, so a user may put
     * the SMT siblings to work; "all cores" (0) counts physical cores ({@link io.shiftsr.engine.ComputeCores}),
     * which libtorch's kernels run best on.
     */
    int get(BaseCommand command) {
        int cores = Runtime.getRuntime().availableProcessors();
        if (value < 0 || value > cores) {
            command.usageError("--threads must be 0 (all cores) to " + cores + " (this machine's logical CPUs), got "
                    + value);
        }
        return value;
    }
}
