package io.shiftsr.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.shiftsr.image.ImageReading;
import io.shiftsr.image.TestImages;
import io.shiftsr.inference.DiffusionUpscalerTest;
import io.shiftsr.model.ModelConfig;
import io.shiftsr.reliability.BadInputs;
import io.shiftsr.train.PhotoLibrary;
import io.shiftsr.weights.DType;
import io.shiftsr.sr.ModelFiles;
import io.shiftsr.weights.SafetensorsReader;
import io.shiftsr.weights.SafetensorsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every entry point against the generated bad inputs (docs/RELIABILITY.md): one line per bad file on stderr,
 * the documented exit code, a batch that carries on past bad files, and odd-but-valid images handled.
 */
class BadInputSuiteTest {
    @TempDir
    Path dir;
    Path in;
    Path model;

    @BeforeEach
    void fixtures() throws Exception {
        in = dir.resolve("in");
        BadInputs.writeAll(BadInputs.badImages(), in);
        BadInputs.writeAll(BadInputs.oddImages(), in);
        TestImages.write(in.resolve("good.png"), 40, 32, 3, false);
        Files.writeString(in.resolve("notes.txt"), "not an image, not an image name");
        Files.createDirectories(in.resolve("folder.png")); // a directory with an image name
        model = dir.resolve("random.safetensors");
        DiffusionUpscalerTest.saveTinyModel(model);
    }

    private static final int BAD = BadInputs.badImages().size();
    private static final int ODD = BadInputs.oddImages().size();

    /** Each bad file is named on exactly one line; the last line is the batch summary. */
    private static void assertOneLinePerBadFile(CliTest.Run r, String verb) {
        assertOneLinePerBadFile(r, verb, BadInputs.badImages().keySet());
    }

    private static void assertOneLinePerBadFile(CliTest.Run r, String verb, java.util.Collection<String> bads) {
        List<String> lines = r.errLines();
        for (String bad : bads) {
            long n = lines.stream().filter(l -> l.contains(bad)).count();
            assertEquals(1, n, bad + " should be reported once:\n" + r.err());
        }
        int all = BAD + ODD + 1;
        assertEquals(bads.size() + 1, lines.size(), r.err());
        String summary = lines.get(lines.size() - 1);
        assertTrue(summary.contains((all - bads.size()) + " of " + all + " " + verb)
                && summary.contains(bads.size() + " failed"), summary);
        lines.forEach(l -> assertTrue(l.startsWith("shiftsr: "), l));
    }

    @Test
    void upscaleWithTheModelCarriesOnPastBadFilesAndHandlesOddOnes() {
        Path out = dir.resolve("out");
        CliTest.Run r = CliTest.run("upscale", in.toString(), "--out", out.toString(), "--model", model.toString(),
                "--steps", "1", "-q");
        assertEquals(ExitCode.SOME_FAILED, r.code(), r.err());
        assertOneLinePerBadFile(r, "upscaled");
        for (String odd : BadInputs.oddImages().keySet()) {
            Path o = out.resolve(odd.substring(0, odd.lastIndexOf('.')) + ".png");
            assertTrue(Files.exists(o), "no output for " + odd);
        }
        assertEquals(4, ImageReading.read(out.resolve("one-pixel.png")).width());
        assertEquals(36, ImageReading.read(out.resolve("one-row.png")).width());
        assertEquals(4, ImageReading.read(out.resolve("one-row.png")).height());
    }

    @Test
    void degradeAndBicubicUpscaleReportTheSameWay() {
        CliTest.Run d = CliTest.run("degrade", in.toString(), "--out", dir.resolve("lr").toString(), "--scale", "2",
                "-q");
        assertEquals(ExitCode.SOME_FAILED, d.code(), d.err());
        // Images with a side below the scale cannot be shrunk by it: refused like bad files.
        List<String> refused = new ArrayList<>(BadInputs.badImages().keySet());
        refused.addAll(List.of("one-pixel.png", "one-row.png", "one-column.png", "lossy.webp", "lossless.webp",
                "alpha.webp"));
        assertOneLinePerBadFile(d, "degraded", refused);
        assertTrue(d.err().contains("1x9 image is smaller than the scale 2"), d.err());
        CliTest.Run u = CliTest.run("upscale", in.toString(), "--out", dir.resolve("bic").toString(), "--method",
                "bicubic", "-q");
        assertEquals(ExitCode.SOME_FAILED, u.code(), u.err());
        assertOneLinePerBadFile(u, "upscaled");
    }

    @Test
    void metricsSkipsBadPairsAndSaysWhich() {
        CliTest.Run r = CliTest.run("metrics", "--sr", in.toString(), "--hr", in.toString(), "--scale", "1", "-q");
        assertEquals(ExitCode.SOME_FAILED, r.code(), r.err());
        for (String bad : BadInputs.badImages().keySet()) {
            assertTrue(r.err().contains(bad), bad + " not reported:\n" + r.err());
        }
        assertTrue(r.out().contains("mean psnr_y="), r.out());
    }

    @Test
    void evalSkipsBadHrFilesAndStillWritesTheReport() throws Exception {
        Path hr = dir.resolve("hr");
        BadInputs.writeAll(BadInputs.badImages(), hr);
        TestImages.write(hr.resolve("good.png"), 48, 40, 3, false);
        CliTest.Run r = CliTest.run("eval", "--hr", hr.toString(), "--scale", "4", "--model", model.toString(),
                "--steps", "1", "--out", dir.resolve("report").toString(), "-q");
        assertEquals(ExitCode.SOME_FAILED, r.code(), r.err());
        assertEquals(BAD + 1, r.errLines().size(), r.err());
        assertTrue(r.errLines().get(BAD).contains(BAD + " of " + (BAD + 1) + " images skipped"), r.err());
        assertTrue(Files.exists(dir.resolve("report/index.html")));
    }

    @Test
    void trainingDataLoadingSkipsBadPhotosWithAWarningEach() {
        List<String> warnings = new ArrayList<>();
        PhotoLibrary photos = new PhotoLibrary(in, 1.0, 1 << 24, warnings::add);
        int usable = 0;
        for (int i = 0; i < photos.size(); i++) {
            usable += photos.get(i) == null ? 0 : 1;
        }
        assertEquals(ODD + 1, usable, String.join("\n", warnings));
        assertEquals(BAD, warnings.size(), String.join("\n", warnings));
        warnings.forEach(w -> assertFalse(w.contains("\n"), w));
    }

    @Test
    void badModelFilesAreRefusedInOneLineBeforeAnyWork() throws Exception {
        byte[] valid = Files.readAllBytes(model);
        Map<String, byte[]> bad = new java.util.LinkedHashMap<>(BadInputs.badWeights(valid));
        // Wrong architecture: the metadata of one network with the tensors of another.
        Path other = dir.resolve("other.safetensors");
        ModelConfig spatialOnly = new ModelConfig(48, 8, new int[] {1}, new int[] {1}, new int[] {}, 16, true, false,
                false);
        ModelFiles.save(DiffusionUpscalerTest.randomModel(spatialOnly), other, DType.F32);
        Path mixed = dir.resolve("weights/wrong-architecture.safetensors");
        Files.createDirectories(mixed.getParent());
        SafetensorsWriter.write(mixed, SafetensorsReader.read(other).tensors(), ModelFiles.metadata(model));
        BadInputs.writeAll(bad, dir.resolve("weights"));
        Path good = TestImages.write(dir.resolve("x.png"), 16, 16, 3, false);
        try (var files = Files.list(dir.resolve("weights"))) {
            for (Path w : files.toList()) {
                CliTest.Run r = CliTest.run("upscale", good.toString(), "--out", dir.resolve("o").toString(),
                        "--model", w.toString(), "-q");
                assertEquals(ExitCode.BAD_INPUT, r.code(), w + ": " + r.err());
                assertEquals(1, r.errLines().size(), w + ": " + r.err());
                assertTrue(r.err().contains(w.getFileName().toString()), r.err());
            }
        }
        assertFalse(Files.exists(dir.resolve("o/x.png")));
    }

    @Test
    void anOutputFolderThatCannotBeMadeIsAnIoErrorInOneLine() throws Exception {
        Path blocker = Files.writeString(dir.resolve("blocker"), "a file where a folder should be");
        CliTest.Run r = CliTest.run("upscale", in.resolve("good.png").toString(), "--out",
                blocker.resolve("sub").toString(), "--method", "bicubic", "-q");
        assertEquals(ExitCode.IO_ERROR, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
    }

    @Test
    void existingOutputsAreKeptUnlessOverwriteIsGiven() throws Exception {
        Path out = Files.createDirectories(dir.resolve("keep"));
        Path existing = Files.writeString(out.resolve("good.png"), "precious");
        CliTest.Run r = CliTest.run("upscale", in.resolve("good.png").toString(), "--out", out.toString(), "--method",
                "bicubic");
        assertEquals("precious", Files.readString(existing), r.err());
        assertTrue(r.err().contains("exists"), r.err());
        CliTest.Run o = CliTest.run("upscale", in.resolve("good.png").toString(), "--out", out.toString(), "--method",
                "bicubic", "--overwrite", "-q");
        assertEquals(0, o.code(), o.err());
        assertEquals(160, ImageReading.read(existing).width());
    }
}
