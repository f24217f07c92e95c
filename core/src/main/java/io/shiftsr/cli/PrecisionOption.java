package io.shiftsr.cli;

import io.shiftsr.engine.Precision;
import picocli.CommandLine.Option;

/** --precision, shared by the commands that run a model (a picocli mixin). */
final class PrecisionOption {
    @Option(names = "--precision", defaultValue = "auto", paramLabel = "P",
            converter = OptionConverters.PrecisionConverter.class,
            description = "auto (bf16 where the CPU has native bfloat16, else fp32), fp32 or bf16. Default: ${DEFAULT-VALUE}.")
    Precision value;

    /** The chosen precision (picocli refused anything else as a usage error). */
    Precision get(BaseCommand command) {
        return value;
    }
}
