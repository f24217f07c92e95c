package io.shiftsr.cli;

/** Process exit codes of every command (README "Exit codes"). */
public final class ExitCode {
    public static final int OK = 0;
    /** A batch finished but some inputs failed. */
    public static final int SOME_FAILED = 1;
    /** Bad command line (picocli's default for usage errors). */
    public static final int USAGE = 2;
    /** The (single) input is missing, unreadable or not a supported image. */
    public static final int BAD_INPUT = 3;
    /** An output could not be written, or another I/O failure. */
    public static final int IO_ERROR = 4;

    private ExitCode() {
    }
}
