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
 * Issue 31: metrics and eval pair files by base name, and two files of one base name (a.png and a.jpg) were
 * taken silently: metrics printed "2 of 2 scored" with one row, eval wrote the first image's row twice (and
 * ["a","a"]) while its mean used both. Either is one error line naming both files, exit 3.
 */
class PairingTest {
    @TempDir
    Path dir;

    private static void assertAmbiguous(CliTest.Run r, Path a, Path b) {
        assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains(a.toString()) && r.err().contains(b.toString()), r.err());
        assertTrue(r.err().contains("same base name 'a'"), r.err());
    }

    @Test
    void metricsRefusesTwoFilesOfOneBaseName() throws Exception {
        Path sr = Files.createDirectory(dir.resolve("sr"));
        Path hr = Files.createDirectory(dir.resolve("hr"));
        Path srPng = TestImages.write(sr.resolve("a.png"), 32, 32, 3, false);
        Path srJpg = TestImages.write(sr.resolve("a.jpg"), 32, 32, 3, false);
        Path hrPng = TestImages.write(hr.resolve("a.png"), 32, 32, 3, false);
        assertAmbiguous(CliTest.run("metrics", "--sr", sr.toString(), "--hr", hr.toString(), "-q"), srJpg, srPng);
        Path hrTif = TestImages.write(hr.resolve("a.tif"), 32, 32, 3, false);
        Files.delete(srJpg);
        assertAmbiguous(CliTest.run("metrics", "--sr", sr.toString(), "--hr", hr.toString(), "-q"), hrPng, hrTif);
    }

    @Test
    void evalRefusesTwoFilesOfOneBaseName() throws Exception {
        Path model = dir.resolve("random.safetensors");
        DiffusionUpscalerTest.saveTinyModel(model);
        Path hr = Files.createDirectory(dir.resolve("hr"));
        Path png = TestImages.write(hr.resolve("a.png"), 32, 32, 3, false);
        Path jpg = TestImages.write(hr.resolve("a.jpg"), 32, 32, 3, false);
        Path report = dir.resolve("report");
        CliTest.Run r = CliTest.run("eval", "--hr", hr.toString(), "--scale", "4", "--model", model.toString(),
                "--steps", "1", "--crop", "0", "--out", report.toString(), "-q");
        assertAmbiguous(r, jpg, png);
        assertFalse(Files.exists(report.resolve("report.md")));
        // The same in the LR folder.
        Files.delete(jpg);
        Path lr = Files.createDirectory(dir.resolve("lr"));
        Path lrPng = TestImages.write(lr.resolve("a.png"), 8, 8, 3, false);
        Path lrBmp = TestImages.write(lr.resolve("a.tiff"), 8, 8, 3, false);
        r = CliTest.run("eval", "--hr", hr.toString(), "--lr", lr.toString(), "--scale", "4", "--model",
                model.toString(), "--steps", "1", "--crop", "0", "--out", report.toString(), "-q");
        assertAmbiguous(r, lrBmp, lrPng);
        assertFalse(Files.exists(report.resolve("report.md")));
    }
}
