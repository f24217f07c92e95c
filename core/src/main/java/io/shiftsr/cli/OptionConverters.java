package io.shiftsr.cli;

import io.shiftsr.engine.Precision;
import io.shiftsr.sr.Denoise;
import io.shiftsr.sr.ShiftSrModel;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters of the options whose values are enums: each calls the enum's own parse, so the accepted
 * spellings and the message for anything else are the enum's, on the command line and in the Spark job alike.
 */
public final class OptionConverters {
    private OptionConverters() {
    }

    /** --process: deltadiff, resshift or bicubic. */
    public static final class ProcessConverter implements ITypeConverter<ShiftSrModel.Process> {
        @Override
        public ShiftSrModel.Process convert(String value) {
            return parsed(ShiftSrModel.Process::parse, value);
        }
    }

    /** --precision: auto, fp32 or bf16. */
    public static final class PrecisionConverter implements ITypeConverter<Precision> {
        @Override
        public Precision convert(String value) {
            return parsed(Precision::parse, value);
        }
    }

    /** --denoise: auto, off, low, medium or high. */
    public static final class DenoiseConverter implements ITypeConverter<Denoise> {
        @Override
        public Denoise convert(String value) {
            return parsed(Denoise::parse, value);
        }
    }

    /** The enum's own parse; its refusal becomes picocli's usage error with the enum's message. */
    private static <T> T parsed(java.util.function.Function<String, T> parse, String value) {
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
