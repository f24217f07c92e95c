package io.shiftsr.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.shiftsr.image.Image;
import io.shiftsr.image.TestImages;
import io.shiftsr.inference.DiffusionUpscalerTest;
import io.shiftsr.image.ImageReading;
import io.shiftsr.weights.DType;
import io.shiftsr.sr.ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An untrained (random) model end to end through the CLI. */
class DiffusionCliTest {
    @TempDir
    Path dir;
    Path model;

    @BeforeEach
    void randomModel() {
        model = dir.resolve("random.safetensors");
        DiffusionUpscalerTest.saveTinyModel(model);
    }

    private Path image(String name, int w, int h, int channels, boolean alpha) {
        return TestImages.write(dir.resolve(name), w, h, channels, alpha);
    }

    @Test
    void upscalesRgbGrayAndAlphaWithBothProcessesAndWritesComparisons() {
        Path rgb = image("rgb.png", 37, 53, 3, false);
        Path gray = image("gray.png", 20, 16, 1, false);
        Path alpha = image("alpha.png", 24, 20, 3, true);
        Path out = dir.resolve("out");
        CliTest.Run r = CliTest.run("upscale", rgb.toString(), gray.toString(), alpha.toString(), "--out", out.toString(),
                "--model", model.toString(), "--steps", "2", "--compare", "-q");
        assertEquals(0, r.code(), r.err());
        Image a = ImageReading.read(out.resolve("rgb.png"));
        assertEquals(148, a.width());
        assertEquals(212, a.height());
        Image g = ImageReading.read(out.resolve("gray.png"));
        assertEquals(1, g.channels());
        Image al = ImageReading.read(out.resolve("alpha.png"));
        assertTrue(al.hasAlpha());
        assertEquals(96, al.width());
        assertTrue(Files.exists(out.resolve("rgb_compare.png")));

        CliTest.Run s = CliTest.run("upscale", rgb.toString(), "--out", dir.resolve("out2").toString(), "--model",
                model.toString(), "--process", "resshift", "--steps", "4", "--scale", "2.5", "--seed", "7", "-q");
        assertEquals(0, s.code(), s.err());
        assertEquals(93, ImageReading.read(dir.resolve("out2/rgb.png")).width());
    }

    @Test
    void badModelAndOptionsGiveOneLine() throws Exception {
        Path rgb = image("rgb.png", 16, 16, 3, false);
        Path broken = Files.write(dir.resolve("broken.safetensors"), new byte[] {1, 2, 3});
        CliTest.Run r = CliTest.run("upscale", rgb.toString(), "--out", dir.resolve("o").toString(), "--model",
                broken.toString());
        assertEquals(ExitCode.BAD_INPUT, r.code());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("broken.safetensors"), r.err());
        CliTest.Run p = CliTest.run("upscale", rgb.toString(), "--out", "o", "--process", "magic");
        assertEquals(ExitCode.USAGE, p.code());
        CliTest.Run big = CliTest.run("upscale", rgb.toString(), "--out", "o", "--scale", "5");
        assertEquals(ExitCode.USAGE, big.code());
        CliTest.Run steps = CliTest.run("upscale", rgb.toString(), "--out", dir.resolve("o").toString(), "--model",
                model.toString(), "--steps", "16");
        assertEquals(ExitCode.USAGE, steps.code(), steps.err());
        CliTest.Run ensemble = CliTest.run("upscale", rgb.toString(), "--out", dir.resolve("o").toString(), "--model",
                model.toString(), "--ensemble", "3");
        assertEquals(ExitCode.USAGE, ensemble.code(), ensemble.err());
        assertTrue(ensemble.err().contains("--ensemble must be 1, 2, 4 or 8, got 3"), ensemble.err());
        CliTest.Run evalEnsemble = CliTest.run("eval", "--hr", dir.toString(), "--scale", "2", "--model",
                model.toString(), "--ensemble", "1,6", "--out", dir.resolve("r").toString());
        assertEquals(ExitCode.USAGE, evalEnsemble.code(), evalEnsemble.err());
    }

    @Test
    void anEnsembleChangesTheOutputAndTheModelFileCarriesItsDefault() throws Exception {
        Path rgb = image("rgb.png", 24, 16, 3, false);
        for (String n : new String[] {"1", "2"}) {
            CliTest.Run r = CliTest.run("upscale", rgb.toString(), "--out", dir.resolve("e" + n).toString(), "--model",
                    model.toString(), "--steps", "1", "--ensemble", n, "-q");
            assertEquals(0, r.code(), r.err());
        }
        Image one = ImageReading.read(dir.resolve("e1/rgb.png")), two = ImageReading.read(dir.resolve("e2/rgb.png"));
        assertFalse(java.util.Arrays.equals(one.plane(0), two.plane(0)), "a 2-member ensemble is not one run");

        // A file whose default is 1 step with 2 members runs like that with no options, and says so in info.
        Path withDefault = dir.resolve("ens.safetensors");
        ModelFiles.save(DiffusionUpscalerTest.randomModel(DiffusionUpscalerTest.TINY).withDefaults(1, 2), withDefault,
                DType.F32);
        CliTest.Run d = CliTest.run("upscale", rgb.toString(), "--out", dir.resolve("d").toString(), "--model",
                withDefault.toString(), "-q");
        assertEquals(0, d.code(), d.err());
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(two.plane(c), ImageReading.read(dir.resolve("d/rgb.png")).plane(c));
        }
        CliTest.Run info = CliTest.run("info", withDefault.toString());
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("default:      DeltaDiff 1 step, self-ensemble of 2,"), info.out());
    }

    @Test
    void theStreamedOutputEqualsTheWholeImagePath() {
        // --compare needs the whole image, so it takes the non-streamed path; both must write the same pixels.
        Path rgb = image("big.png", 70, 45, 3, false);
        Path gray = image("gray.png", 33, 21, 1, false);
        for (String flag : new String[] {"--compare", "--overwrite"}) {
            CliTest.Run r = CliTest.run("upscale", rgb.toString(), gray.toString(), "--out",
                    dir.resolve(flag.substring(2)).toString(), "--model", model.toString(), "--steps", "1",
                    "--tile", "16", "--overlap", "4", flag, "-q");
            assertEquals(0, r.code(), r.err());
        }
        for (String name : new String[] {"big.png", "gray.png"}) {
            Image whole = ImageReading.read(dir.resolve("compare").resolve(name));
            Image streamed = ImageReading.read(dir.resolve("overwrite").resolve(name));
            assertEquals(whole.channels(), streamed.channels(), name);
            for (int c = 0; c < whole.channels(); c++) {
                assertArrayEquals(whole.plane(c), streamed.plane(c), name);
            }
        }
    }

    @Test
    void evalReportsTheReferenceBicubicBaseline() throws Exception {
        Path root = io.shiftsr.ReferenceData.root();
        var ref = new com.fasterxml.jackson.databind.ObjectMapper().readTree(root.resolve("reference.json").toFile());
        Path report = dir.resolve("report");
        CliTest.Run r = CliTest.run("eval", "--hr", root.resolve("hr").toString(), "--lr", root.resolve("lr").toString(),
                "--scale", "4", "--model", model.toString(), "--steps", "1", "--out", report.toString(), "-q");
        assertEquals(0, r.code(), r.err());
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(report.resolve("report.json").toFile());
        var bicubic = json.get("sets").get(0).get("means").get(0);
        assertEquals("bicubic", bicubic.get("setting").asText());
        assertEquals(ref.path("mean").path("psnr_y").asDouble(), bicubic.get("psnrY").asDouble(), 0.01);
        assertEquals(ref.path("mean").path("ssim_y").asDouble(), bicubic.get("ssimY").asDouble(), 0.0005);
        assertEquals(ref.path("n").asInt(), bicubic.get("n").asInt());
        assertTrue(Files.readString(report.resolve("report.md")).contains("| deltadiff-1 |"));
        assertEquals("val-x4", json.get("sets").get(0).get("set").asText());
        assertFalse(json.get("lpips").asBoolean());
    }

    @Test
    void theBundledModelServesEveryScaleAndOthersRefuseUntrainedOnesInOneLine() {
        Path rgb = image("rgb.png", 16, 16, 3, false);
        CliTest.Run bundled = CliTest.run("upscale", rgb.toString(), "--out", dir.resolve("o15").toString(), "--scale", "1.5", "-q");
        assertEquals(0, bundled.code(), bundled.err());
        assertEquals(24, ImageReading.read(dir.resolve("o15/rgb.png")).width());
        Path narrow = dir.resolve("x2-x4.safetensors");
        io.shiftsr.sr.ModelFiles.save(DiffusionUpscalerTest.randomModel(DiffusionUpscalerTest.TINY)
                .trainedFor(new io.shiftsr.sr.ShiftSrModel.ScaleRange(2, 4), 2), narrow, io.shiftsr.weights.DType.F32);
        CliTest.Run r = CliTest.run("upscale", rgb.toString(), "--out", dir.resolve("o").toString(), "--scale", "1.5",
                "--model", narrow.toString());
        assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("trained for scales 2-4 only, not 1.5"), r.err());
        CliTest.Run two = CliTest.run("upscale", rgb.toString(), "--out", dir.resolve("o2").toString(), "--scale", "2", "-q");
        assertEquals(0, two.code(), two.err());
        assertEquals(32, ImageReading.read(dir.resolve("o2/rgb.png")).width());
        CliTest.Run ok = CliTest.run("upscale", rgb.toString(), "--out", dir.resolve("o4").toString(), "-q");
        assertEquals(0, ok.code(), ok.err());
        assertEquals(64, ImageReading.read(dir.resolve("o4/rgb.png")).width());
    }

    @Test
    void infoDescribesTheModel() {
        CliTest.Run r = CliTest.run("info", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("parameters:"), r.out());
        assertTrue(r.out().matches("(?s).*FLOPs: +[\\d,]+ per latent pixel.*"), r.out());
        assertTrue(r.out().contains("T=15"), r.out());
    }
}
