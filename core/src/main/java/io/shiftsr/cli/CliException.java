package io.shiftsr.cli;

/** Stops a command with a one-line message and an exit code from {@link ExitCode}. */
public class CliException extends RuntimeException {
    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
