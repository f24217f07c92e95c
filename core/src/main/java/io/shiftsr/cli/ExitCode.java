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

    /**
     * The one mapping from a failure to an exit code, for a whole command (BaseCommand) and for one input of a
     * batch (Batch): a CliException says its own; an unreadable or unsupported input, or a value out of range,
     * is a bad input; anything else (writing, the disk, memory) an I/O error.
     */
    static int of(Throwable e) {
        if (e instanceof CliException c) {
            return c.exitCode();
        }
        if (e instanceof io.shiftsr.image.ImageException i) {
            return i.kind() == io.shiftsr.image.ImageException.Kind.IO_ERROR ? IO_ERROR : BAD_INPUT;
        }
        return e instanceof IllegalArgumentException ? BAD_INPUT : IO_ERROR;
    }
}
