package io.shiftsr.cli;

import io.shiftsr.io.OneLine;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** The {@code shiftsr} command line. */
@Command(name = "shiftsr", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Diffusion image super-resolution (ResShift / DeltaDiff): upscale, train, score.",
        subcommands = {UpscaleCommand.class, DegradeCommand.class, MetricsCommand.class, TrainCommand.class,
                ExportCommand.class, InfoCommand.class, EvalCommand.class, CompareCommand.class, ServeCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 some inputs of a batch failed, 2 usage error,",
                "3 bad input, 4 I/O or output error."})
public final class Main {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line: usage errors print one line instead of the whole help. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler(Main::usageError);
        return cl;
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        String message = e.getMessage() == null ? "usage error" : OneLine.of(e.getMessage().replaceAll("\\s*\\R\\s*", " "));
        err.println("shiftsr: " + message + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** Version from the jar manifest (Maven fills it in); "dev" when run from classes. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"shiftsr " + (v == null ? "dev" : v)};
        }
    }
}
