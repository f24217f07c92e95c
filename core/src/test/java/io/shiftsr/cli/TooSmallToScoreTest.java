package io.shiftsr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shiftsr.image.TestImages;
import io.shiftsr.inference.DiffusionUpscalerTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An HR image too small for SSIM's 11x11 window after the border crop (16x16 at x4) failed the whole eval with
 * "unexpected error: java.lang.IllegalArgumentException" (exit 4). It is skipped with one line, like an
 * unreadable image, and the rest is scored (exit 1); metrics likewise for its pairs.
 */
class TooSmallToScoreTest {
    @TempDir
    Path dir;

    @Test
    void evalSkipsAnImageTooSmallToScore() throws Exception {
        Path model = dir.resolve("random.safetensors");
        DiffusionUpscalerTest.saveTinyModel(model);
        Path hr = Files.createDirectory(dir.resolve("hr"));
        TestImages.write(hr.resolve("big.png"), 32, 32, 3, false);
        TestImages.write(hr.resolve("tiny.png"), 16, 16, 3, false);
        Path report = dir.resolve("report");
        CliTest.Run r = CliTest.run("eval", "--hr", hr.toString(), "--scale", "4", "--model", model.toString(),
                "--steps", "1", "--crop", "0", "--out", report.toString(), "-q");
        assertEquals(ExitCode.SOME_FAILED, r.code(), r.err());
        assertFalse(r.err().contains("unexpected"), r.err());
        assertTrue(r.errLines().get(0).contains("tiny: 16x16 is too small to score at x4"), r.err());
        assertEquals(2, r.errLines().size(), r.err()); // the skip, then "1 of 2 images skipped"
        String md = Files.readString(report.resolve("report.md"));
        assertTrue(md.contains("| big |") && !md.contains("| tiny |"), md);
    }

    @Test
    void metricsSkipsAPairTooSmallToScore() throws Exception {
        Path sr = Files.createDirectory(dir.resolve("sr"));
        Path hr = Files.createDirectory(dir.resolve("hr"));
        for (Path d : new Path[] {sr, hr}) {
            TestImages.write(d.resolve("big.png"), 32, 32, 3, false);
            TestImages.write(d.resolve("tiny.png"), 16, 16, 3, false);
        }
        CliTest.Run r = CliTest.run("metrics", "--sr", sr.toString(), "--hr", hr.toString(), "--scale", "4", "-q");
        assertEquals(ExitCode.SOME_FAILED, r.code(), r.err());
        assertFalse(r.err().contains("unexpected"), r.err());
        assertTrue(r.err().contains("SSIM needs at least 11x11"), r.err());
        assertTrue(r.out().contains("big") && r.out().contains("n=1"), r.out());
    }
}
