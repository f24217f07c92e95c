package io.shiftsr.cli;

import io.shiftsr.engine.Precision;
import picocli.CommandLine.Option;

/** --precision, shared by the commands that run a model (a picocli mixin). */
final class PrecisionOption {
    @Option(names = "--precision", defaultValue = "auto", paramLabel = "P",
            description = "auto (bf16 where the CPU has native bfloat16, else fp32), fp32 or bf16. Default: ${DEFAULT-VALUE}.")
    String value;

    /** The parsed value; a usage error for anything else. */
    Precision get(BaseCommand command) {
        try {
            return Precision.parse(value);
        } catch (IllegalArgumentException e) {
            command.usageError("--" + e.getMessage());
            return null;
        }
    }
}
