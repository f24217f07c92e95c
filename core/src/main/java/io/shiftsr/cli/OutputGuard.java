package io.shiftsr.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * The one rule every command applies before it writes a file: never replace one of the command's own inputs,
 * and replace any other existing file only when the user said --overwrite. Checked before any work is done,
 * so a refused output costs nothing and changes nothing.
 */
final class OutputGuard {
    private OutputGuard() {
    }

    /**
     * @throws CliException BAD_INPUT when {@code target} is one of {@code inputs}; IO_ERROR when it exists and
     *                      {@code overwrite} is off, or is not a regular file
     */
    static void check(Path target, Collection<Path> inputs, boolean overwrite) {
        requireNotAnInput(target, inputs);
        if (Files.exists(target)) {
            if (!Files.isRegularFile(target)) {
                throw new CliException(ExitCode.IO_ERROR, target + ": exists and is not a regular file, not written");
            }
            if (!overwrite) {
                throw new CliException(ExitCode.IO_ERROR, target + " exists (use --overwrite to replace it)");
            }
        }
    }

    /** @throws CliException BAD_INPUT when {@code target} is the same file as one of {@code inputs} */
    private static void requireNotAnInput(Path target, Collection<Path> inputs) {
        for (Path in : inputs) {
            if (in != null && isSameFile(target, in)) {
                throw new CliException(ExitCode.BAD_INPUT, target + " is an input of this command; it is never"
                        + " replaced (choose another output)");
            }
        }
    }

    /** True when both name the same existing file (links followed); false when either does not exist. */
    private static boolean isSameFile(Path a, Path b) {
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
