package io.shiftsr.cli;

import io.shiftsr.io.OneLine;
import io.shiftsr.image.ImageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Common behaviour of the subcommands: turns failures into one line {@code shiftsr: <message>} on stderr
 * and an exit code (stack trace only with --debug), and gives access to the command's out/err writers.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = Main.Version.class)
abstract class BaseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--debug", description = "Print stack traces of errors.")
    boolean debug;

    /** The command's work; returns an exit code. */
    protected abstract int run() throws Exception;

    @Override
    public final Integer call() {
        try {
            return run();
        } catch (ParameterException e) {
            throw e; // picocli reports usage errors (exit code 2)
        } catch (CliException | ImageException e) {
            return fail(ExitCode.of(e), e.getMessage(), e);
        } catch (IOException | UncheckedIOException e) {
            return fail(ExitCode.of(e), "I/O error: " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            return fail(ExitCode.of(e), "out of memory (raise -Xmx or lower --max-pixels)", e);
        } catch (Exception e) {
            return fail(ExitCode.of(e), "unexpected error: " + e + " (rerun with --debug for details)", e);
        }
    }

    private int fail(int code, String message, Throwable t) {
        error(message);
        if (debug) {
            t.printStackTrace(err());
        }
        err().flush();
        return code;
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** One notice line on stderr (not an error: the run goes on). */
    protected void notice(String message) {
        err().println("shiftsr: notice: " + OneLine.of(message));
        err().flush();
    }

    /** One error line on stderr. */
    protected void error(String message) {
        err().println("shiftsr: " + OneLine.of(message));
        err().flush();
    }

    /** LPIPS weights given with --lpips, or null without them; a bad file is a one-line bad-input error. */
    static io.shiftsr.metrics.Lpips lpipsOrNull(java.nio.file.Path weights) {
        if (weights == null) {
            return null;
        }
        try {
            return io.shiftsr.metrics.Lpips.load(weights);
        } catch (io.shiftsr.weights.WeightsException e) {
            throw new CliException(ExitCode.BAD_INPUT, e.getMessage());
        }
    }

    protected void usageError(String message) {
        throw new ParameterException(spec.commandLine(), message);
    }
}
