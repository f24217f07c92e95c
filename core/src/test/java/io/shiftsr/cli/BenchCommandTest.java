package io.shiftsr.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** `bench --only inference` prints the shipped default's line in the issue's format, for every `--model`. */
class BenchCommandTest {
    private static final Pattern DEFAULT = Pattern.compile(
            "(?m)^default: ([0-9.]+) s/image, ([0-9.]+) GFLOP/s, ([0-9]+)% of the (fp32|bf16) ceiling$");

    @Test
    void printsTheDefaultLinePerModelWithItsCeiling() {
        CliTest.Run r = CliTest.run("bench", "--only", "inference", "--size", "32", "--repeats", "1",
                "--model", "models/shiftsr.safetensors", "--model", "models/shiftsr.safetensors",
                "--precision", "fp32");
        assertEquals(0, r.code(), r.err());
        Matcher m = DEFAULT.matcher(r.out());
        int lines = 0;
        while (m.find()) {
            lines++;
            assertTrue(Double.parseDouble(m.group(1)) > 0, r.out());
            assertEquals("fp32", m.group(4), r.out());
        }
        assertEquals(2, lines, "one default: line per --model:\n" + r.out());
        assertTrue(r.out().contains("network alone:"), r.out());
        assertTrue(r.out().contains("| stage | s | share | first run, s |"), r.out());
        assertTrue(r.out().matches("(?s).*after this model's first run and [0-9]+ warm-up run.*"), r.out());
        assertTrue(r.out().matches("(?s).*the default on the photo is [0-9.]+x it \\(median of 1 pair's ratios.*"), r.out());
        assertTrue(r.out().matches("(?s).*ceiling: plain 3x3 conv 64->64 forward, fp32, best of .*GFLOP/s.*"), r.out());
    }

    @Test
    void batchPrintsImagesPerSecondAgainstTheNetworkAlone() {
        // The folder passes are compared with the model's network alone, run after each pass: the model must
        // still be open then (a closed one failed with a null pointer).
        CliTest.Run r = CliTest.run("bench", "--only", "batch", "--size", "32", "--repeats", "1", "--batch-images",
                "2", "--precision", "fp32");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*\nbatch: 2 copies of the 32x32 photo through `upscale DIR`: [0-9.]+ s, [0-9.]+"
                + " images/s \\(median of 1\\), [0-9]+% of the network-bound [0-9.]+ images/s.*"), r.out());
    }

    @Test
    void precisionAlsoSetsTheTrainingBenchmarksPrecision() {
        // configs/tiny.yaml trains in fp32 (run.precision); --precision bf16 must be what training is measured in.
        CliTest.Run r = CliTest.run("bench", "--only", "training", "--config", "configs/tiny.yaml", "--repeats", "1",
                "--precision", "bf16");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*training: .*, bf16, .*forward\\+backward, bf16: .*"), r.out());
        CliTest.Run own = CliTest.run("bench", "--only", "training", "--config", "configs/tiny.yaml", "--repeats", "1");
        assertEquals(0, own.code(), own.err());
        assertTrue(own.out().matches("(?s).*training: .*, fp32, .*forward\\+backward, fp32: .*"), own.out());
    }
}
