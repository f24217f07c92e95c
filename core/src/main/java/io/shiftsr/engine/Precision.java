package io.shiftsr.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The number format inference runs in. BF16 stores weights and activations in bfloat16 with convolutions in
 * channels-last layout, which oneDNN runs on AVX512-BF16 / AMX units: 4.3x the fp32 rate of a 3x3 conv 64->64
 * on these Zen 4 cores (docs/PERFORMANCE.md). Results are added to y0 in fp32. AUTO picks BF16 where the CPU
 * has such units, detected at run time.
 */
public enum Precision {
    AUTO, FP32, BF16;

    private static volatile Boolean bf16Hardware;

    public static Precision parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("precision must be auto, fp32 or bf16, got '" + s + "'");
        }
    }

    /** AUTO made concrete for this machine. */
    public Precision resolve() {
        return this == AUTO ? (hasBf16Hardware() ? BF16 : FP32) : this;
    }

    /** True when the CPU advertises native bfloat16 arithmetic (avx512_bf16 or amx_bf16 in /proc/cpuinfo). */
    public static boolean hasBf16Hardware() {
        if (bf16Hardware == null) {
            boolean found = false;
            try {
                for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                    if (line.startsWith("flags") && (line.contains(" avx512_bf16") || line.contains(" amx_bf16"))) {
                        found = true;
                        break;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // no /proc (not Linux): fp32
            }
            bf16Hardware = found;
        }
        return bf16Hardware;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
