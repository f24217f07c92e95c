package io.shiftsr.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shiftsr.image.ImageReading;
import io.shiftsr.image.TestImages;
import io.shiftsr.upscale.BicubicUpscaler;
import io.shiftsr.upscale.Upscalers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 31: two runs writing to one folder. The output did not exist when a run checked, so it worked on; the
 * other run wrote the file meanwhile, and the final rename replaced it although neither run had --overwrite.
 * The "other run" here is a method that writes the output while it upscales.
 */
class OutputRaceTest {
    /** The file the racing method writes, as another shiftsr run would, while "upscale" works. */
    private static volatile Path racedFile;
    private static final byte[] OTHER_RUN = "the other run's output".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    static {
        Upscalers.register("race-test", () -> (lr, scale) -> {
            try {
                Files.write(racedFile, OTHER_RUN);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return new BicubicUpscaler().upscale(lr, scale);
        });
    }

    @TempDir
    Path dir;

    @Test
    void aFileWrittenMeanwhileIsNotReplacedWithoutOverwrite() throws Exception {
        Path in = TestImages.write(dir.resolve("photo.png"), 8, 8, 3, false);
        Path out = dir.resolve("out");
        for (String[] extra : new String[][] {{}, {"--compare"}, {"--format", "jpg"}}) {
            Path folder = out.resolve(String.valueOf(extra.length));
            racedFile = folder.resolve(extra.length == 2 ? "photo.jpg" : "photo.png");
            String[] args = Stream.concat(Stream.of("upscale", in.toString(), "--out", folder.toString(), "--method",
                    "race-test", "--scale", "2"), Stream.of(extra)).toArray(String[]::new);
            CliTest.Run r = CliTest.run(args);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.err().contains(racedFile + " exists, skipped"), r.err());
            assertArrayEquals(OTHER_RUN, Files.readAllBytes(racedFile), "the other run's file was replaced");
            try (Stream<Path> files = Files.list(folder)) {
                assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")), "a temp file was left");
            }
        }
        // With --overwrite the run's own result replaces it, as before.
        Path folder = out.resolve("forced");
        racedFile = folder.resolve("photo.png");
        CliTest.Run r = CliTest.run("upscale", in.toString(), "--out", folder.toString(), "--method", "race-test",
                "--scale", "2", "--overwrite");
        assertEquals(0, r.code(), r.err());
        assertEquals(16, ImageReading.read(racedFile).width());
    }
}
