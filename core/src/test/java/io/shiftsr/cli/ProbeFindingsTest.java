package io.shiftsr.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.shiftsr.engine.Engine;
import io.shiftsr.engine.Tensor;
import io.shiftsr.image.TestImages;
import io.shiftsr.inference.DiffusionUpscalerTest;
import io.shiftsr.sr.ShiftSrModel;
import io.shiftsr.weights.DType;
import io.shiftsr.sr.ModelFiles;
import io.shiftsr.weights.SafetensorsFile;
import io.shiftsr.weights.SafetensorsReader;
import io.shiftsr.weights.SafetensorsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reproductions of the outside probe (issue "what an outside probe broke"), each exact: the right exit
 * code, one line on stderr, and no user file changed.
 */
class ProbeFindingsTest {
    @TempDir
    Path dir;

    private Path png(String name) {
        return TestImages.write(dir.resolve(name), 20, 16, 3, false);
    }

    private static void assertOneLine(CliTest.Run r) {
        assertFalse(r.err().isBlank(), "an error line is expected");
        for (String l : r.errLines()) {
            assertTrue(l.startsWith("shiftsr: ") || l.startsWith("Usage") || l.isBlank() || l.startsWith(" ")
                    || l.startsWith("Try"), "not a one-line error: " + r.err());
        }
        assertFalse(r.err().contains("\tat "), "no stack trace without --debug: " + r.err());
    }

    @Test
    void aCompareOutputNeverReplacesAnInput() throws Exception {
        Path d = Files.createDirectories(dir.resolve("d"));
        TestImages.write(d.resolve("a.png"), 20, 16, 3, false);
        Path victim = TestImages.write(d.resolve("a_compare.png"), 20, 16, 3, false);
        byte[] before = Files.readAllBytes(victim);
        CliTest.Run r = CliTest.run("upscale", d.toString(), "--out", d.toString(), "--compare", "--overwrite",
                "--method", "bicubic", "-q");
        assertNotEquals(0, r.code(), r.err());
        assertArrayEquals(before, Files.readAllBytes(victim), "an input was replaced");
        assertTrue(r.err().contains("would replace the input"), r.err());
    }

    @Test
    void twoInputsWhoseOutputsCollideAreReportedNotLost() throws Exception {
        Path d = Files.createDirectories(dir.resolve("in"));
        TestImages.write(d.resolve("a.png"), 20, 16, 3, false);
        TestImages.write(d.resolve("a_compare.png"), 20, 16, 3, false);
        Path out = dir.resolve("out");
        CliTest.Run r = CliTest.run("upscale", d.toString(), "--out", out.toString(), "--compare", "--method",
                "bicubic", "-q");
        assertEquals(ExitCode.SOME_FAILED, r.code(), r.err());
        assertTrue(r.err().contains("also an output of"), r.err());
        assertTrue(Files.exists(out.resolve("a.png")) && Files.exists(out.resolve("a_compare.png")));
    }

    @Test
    void anOutputFolderInsideTheInputFolderIsNeverItsInput() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in/sub")).getParent();
        TestImages.write(in.resolve("a.png"), 20, 16, 3, false);
        TestImages.write(in.resolve("sub/b.png"), 18, 14, 3, false);
        Path out = in.resolve("out");
        for (int run = 0; run < 2; run++) {
            CliTest.Run r = CliTest.run("upscale", in.toString(), "-r", "--out", out.toString(), "--scale", "2",
                    "--method", "bicubic", "-q");
            assertEquals(0, r.code(), "run " + run + ": " + r.err());
        }
        // A pattern that matches the outputs too (exit 1 if they were inputs: each would be replaced by its own).
        CliTest.Run r = CliTest.run("upscale", in + "/**/*.png", "--out", out.toString(), "--scale", "2",
                "--method", "bicubic", "--overwrite", "-q");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(out.resolve("a.png")) && Files.exists(out.resolve("sub/b.png")));
        assertFalse(Files.exists(out.resolve("out")), "the previous outputs were taken for inputs");
    }

    private Path checkpoint() throws Exception {
        return ExportAverageTest.tinyCheckpoint(dir.resolve("run"), 1, List.of());
    }

    /** Issue 31 item 14: a missing --out folder came out as "unexpected error: ...WeightsException". */
    @Test
    void exportToAMissingFolderIsOneLine() throws Exception {
        Path ck = checkpoint();
        Path m = dir.resolve("nodir").resolve("m.safetensors");
        CliTest.Run r = CliTest.run("export", "--checkpoint", ck.toString(), "--out", m.toString());
        assertEquals(ExitCode.IO_ERROR, r.code(), r.err());
        assertOneLine(r);
        assertTrue(r.err().contains("folder " + dir.resolve("nodir").toAbsolutePath() + " does not exist"), r.err());
        assertFalse(r.err().contains("unexpected"), r.err());
    }

    @Test
    void exportNeverReplacesItsCheckpointAndOtherFilesOnlyWithOverwrite() throws Exception {
        Path ck = checkpoint();
        byte[] before = Files.readAllBytes(ck);
        CliTest.Run self = CliTest.run("export", "--checkpoint", ck.toString(), "--out", ck.toString(), "--overwrite");
        assertEquals(ExitCode.BAD_INPUT, self.code(), self.err());
        assertArrayEquals(before, Files.readAllBytes(ck));
        CliTest.Run viaDir = CliTest.run("export", "--checkpoint", dir.resolve("run").toString(), "--out",
                ck.toString(), "--overwrite");
        assertEquals(ExitCode.BAD_INPUT, viaDir.code(), viaDir.err());
        assertArrayEquals(before, Files.readAllBytes(ck));
        Path keep = Files.writeString(dir.resolve("keep.json"), "{}");
        CliTest.Run other = CliTest.run("export", "--checkpoint", ck.toString(), "--out", keep.toString());
        assertEquals(ExitCode.IO_ERROR, other.code(), other.err());
        assertEquals("{}", Files.readString(keep));
        assertOneLine(other);
        CliTest.Run forced = CliTest.run("export", "--checkpoint", ck.toString(), "--out", keep.toString(), "--overwrite");
        assertEquals(0, forced.code(), forced.err());
        assertNotEquals(2, Files.size(keep), "replaced by the model file");
    }

    @Test
    void exportRecordsTheDefaultSettingItIsGivenAndRefusesImpossibleOnes() throws Exception {
        Path ck = checkpoint();
        Path m = dir.resolve("m.safetensors");
        CliTest.Run r = CliTest.run("export", "--checkpoint", ck.toString(), "--out", m.toString(), "--default-steps",
                "1", "--default-ensemble", "4");
        assertEquals(0, r.code(), r.err());
        io.shiftsr.sr.ShiftSrModel back = io.shiftsr.sr.ModelFiles.load(m);
        assertEquals(1, back.defaultSteps());
        assertEquals(4, back.defaultEnsemble());
        for (String[] bad : new String[][] {{"--default-ensemble", "3"}, {"--default-steps", "99"}}) {
            Path none = dir.resolve("none.safetensors");
            CliTest.Run b = CliTest.run("export", "--checkpoint", ck.toString(), "--out", none.toString(), bad[0], bad[1]);
            assertEquals(ExitCode.USAGE, b.code(), b.err());
            assertTrue(b.err().contains(bad[0] + " must be"), b.err());
            assertFalse(Files.exists(none));
        }
    }

    @Test
    void compareAndMetricsNeverReplaceInputsOrUnrelatedFiles() throws Exception {
        Path a = png("a.png"), b = png("b.png");
        byte[] before = Files.readAllBytes(a);
        CliTest.Run c = CliTest.run("compare", a.toString(), b.toString(), "-o", a.toString(), "--overwrite");
        assertEquals(ExitCode.BAD_INPUT, c.code(), c.err());
        assertArrayEquals(before, Files.readAllBytes(a));
        Path sr = Files.createDirectories(dir.resolve("sr")), hr = Files.createDirectories(dir.resolve("hr"));
        Files.copy(a, sr.resolve("x.png"));
        Files.copy(a, hr.resolve("x.png"));
        Path json = Files.writeString(dir.resolve("scores.json"), "mine");
        CliTest.Run m = CliTest.run("metrics", "--sr", sr.toString(), "--hr", hr.toString(), "--scale", "2", "--json",
                json.toString(), "-q");
        assertEquals(ExitCode.IO_ERROR, m.code(), m.err());
        assertEquals("mine", Files.readString(json));
        CliTest.Run ok = CliTest.run("metrics", "--sr", sr.toString(), "--hr", hr.toString(), "--scale", "2", "--json",
                json.toString(), "--overwrite", "-q");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(Files.readString(json).contains("psnr_y"));
    }

    @Test
    void aUsedRunDirIsRefusedWithoutResume() throws Exception {
        Path run = Files.createDirectories(dir.resolve("used"));
        Path log = Files.writeString(run.resolve("log.csv"), "kind,step\n");
        CliTest.Run r = CliTest.run("train", "--config", "configs/tiny.yaml", "--run-dir", run.toString(), "-q");
        assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("--resume"), r.err());
        assertEquals("kind,step\n", Files.readString(log));
    }

    @Test
    void nonFiniteOptionsAndOutputsAreRefusedNotWrittenBlack() throws Exception {
        Path in = png("in.png");
        for (String k : new String[] {"NaN", "1e308", "-1", "Infinity"}) {
            CliTest.Run r = CliTest.run("upscale", in.toString(), "--out", dir.resolve("o").toString(), "--process",
                    "resshift", "--kappa", k, "--method", "bicubic");
            assertEquals(ExitCode.USAGE, r.code(), k + ": " + r.err());
        }
        // Finite weights at the float16 limit overflow inside the network.
        ShiftSrModel m = DiffusionUpscalerTest.randomModel(DiffusionUpscalerTest.TINY);
        try (Engine.GradGuard g = Engine.gradDisabled()) {
            for (Tensor p : m.net().namedParameters().values()) {
                float[] v = new float[(int) p.numel()];
                Arrays.fill(v, 65504f);
                p.setFrom(v);
            }
        }
        Path model = dir.resolve("huge.safetensors");
        ModelFiles.save(m, model, DType.F32);
        Path out = dir.resolve("o2");
        CliTest.Run r = CliTest.run("upscale", in.toString(), "--out", out.toString(), "--model", model.toString(),
                "--steps", "1", "--scale", "2", "-q");
        assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("non-finite"), r.err());
        assertFalse(Files.exists(out.resolve("in.png")), "no black image may be written");
        assertOneLine(r);
    }

    @Test
    void sizeLikeOptionsAreBoundedBeforeAnythingIsAllocated() throws Exception {
        Path in = png("in.png");
        String o = dir.resolve("o").toString();
        for (String[] args : new String[][] {
                {"upscale", in.toString(), "--out", o, "--method", "bicubic", "--scale", "1e-8"},
                {"upscale", in.toString(), "--out", o, "--method", "bicubic", "--scale", "1e-300"},
                {"upscale", in.toString(), "--out", o, "--method", "bicubic", "--threads", "10000"},
                {"upscale", in.toString(), "--out", o, "--method", "bicubic", "--threads", "-1"},
                {"upscale", in.toString(), "--out", o, "--tile", "-5"},
                {"upscale", in.toString(), "--out", o, "--max-memory", "0"},
                {"upscale", in.toString(), "--out", o, "--max-memory", "-5"},
                {"bench", "--repeats", "0"}, {"bench", "--repeats", "-5"}, {"bench", "--size", "0"},
                {"bench", "--only", "bogus"}, {"info", "--threads", "1000"}}) {
            CliTest.Run r = CliTest.run(args);
            assertEquals(ExitCode.USAGE, r.code(), String.join(" ", args) + ": " + r.err());
            assertFalse(r.err().contains("unexpected error"), r.err());
        }
        assertFalse(Files.exists(Path.of(o)) && Files.list(Path.of(o)).findAny().isPresent());
    }

    @Test
    void absurdModelMetadataIsABadInputOfOneLine() throws Exception {
        Path good = dir.resolve("good.safetensors");
        DiffusionUpscalerTest.saveTinyModel(good);
        SafetensorsFile f = SafetensorsReader.read(good);
        Map<String, String> meta = new LinkedHashMap<>(f.metadata());
        meta.put("model_config", meta.get("model_config").replaceFirst("\"width\":\\d+", "\"width\":100000"));
        Path bad = dir.resolve("wide.safetensors");
        SafetensorsWriter.write(bad, f.tensors(), meta);
        CliTest.Run r = CliTest.run("info", bad.toString());
        assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        Map<String, String> nanScale = new LinkedHashMap<>(f.metadata());
        nanScale.put(ModelFiles.SCALE_MIN, "NaN");
        nanScale.put(ModelFiles.SCALE_MAX, "4");
        Path nan = dir.resolve("nan.safetensors");
        SafetensorsWriter.write(nan, f.tensors(), nanScale);
        CliTest.Run u = CliTest.run("upscale", png("x.png").toString(), "--out", dir.resolve("o").toString(), "--model",
                nan.toString(), "--scale", "2");
        assertEquals(ExitCode.BAD_INPUT, u.code(), u.err());
    }

    @Test
    void trainingInputsAreCheckedBeforeAnyPhotoIsCached() throws Exception {
        Path corrupt = Files.createDirectories(dir.resolve("corrupt"));
        for (int i = 0; i < 3; i++) {
            Files.write(corrupt.resolve("p" + i + ".jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, 4});
        }
        CliTest.Run bad = CliTest.run("train", "--config", "configs/tiny.yaml", "--run-dir",
                dir.resolve("r1").toString(), "--set", "data.train=\"" + corrupt + "\"", "--set", "run.validateEvery=0", "-q");
        assertEquals(ExitCode.BAD_INPUT, bad.code(), bad.err());
        assertTrue(bad.err().contains("readable"), bad.err());
        CliTest.Run crop = CliTest.run("train", "--config", "configs/tiny.yaml", "--run-dir",
                dir.resolve("r2").toString(), "--set", "data.crop=4096", "-q");
        assertEquals(ExitCode.BAD_INPUT, crop.code(), crop.err());
        assertTrue(crop.err().contains("data.crop"), crop.err());
        for (String set : new String[] {"data.batch=2.7", "optim.beta1=1.5", "optim.gradClip=-1",
                "optim.threads=-2", "data.cacheMegabytes=-1", "data.valImages=-1", "run.validateEvery=-1"}) {
            CliTest.Run r = CliTest.run("train", "--config", "configs/tiny.yaml", "--run-dir",
                    dir.resolve("r3").toString(), "--set", set, "-q");
            assertEquals(ExitCode.BAD_INPUT, r.code(), set + ": " + r.err());
            assertFalse(r.err().contains("unexpected"), r.err());
        }
        for (String minutes : new String[] {"-1", "NaN"}) {
            CliTest.Run r = CliTest.run("train", "--config", "configs/tiny.yaml", "--run-dir",
                    dir.resolve("r4").toString(), "--max-minutes", minutes, "-q");
            // A usage error naming the option (issue 31 item 14: it exited 3 naming the config file).
            assertEquals(ExitCode.USAGE, r.code(), minutes + ": " + r.err());
            assertTrue(r.err().contains("--max-minutes"), r.err());
        }
        Path dup = Files.writeString(dir.resolve("dup.yaml"),
                Files.readString(Path.of("configs/tiny.yaml")).replace("data:\n", "data:\n  batch: 3\n"));
        CliTest.Run d = CliTest.run("train", "--config", dup.toString(), "--run-dir", dir.resolve("r5").toString(), "-q");
        assertEquals(ExitCode.BAD_INPUT, d.code(), d.err());
        assertTrue(d.err().toLowerCase().contains("duplicate"), d.err());
    }

    @Test
    void oddInputsGetTheRightMessage() throws Exception {
        CliTest.Run glob = CliTest.run("upscale", dir.resolve("[abc.png").toString() + "*", "--out",
                dir.resolve("o").toString(), "--method", "bicubic");
        assertEquals(ExitCode.BAD_INPUT, glob.code(), glob.err());
        assertEquals(1, glob.errLines().size(), glob.err());
        CliTest.Run zero = CliTest.run("upscale", "/dev/zero", "--out", dir.resolve("o").toString(), "--method", "bicubic");
        assertEquals(ExitCode.BAD_INPUT, zero.code(), zero.err());
        assertTrue(zero.err().contains("not a regular file"), zero.err());
        // A 250-byte name: the temp file beside it must not push past the 255-byte limit.
        Path longName = png("x".repeat(246) + ".png");
        CliTest.Run lng = CliTest.run("upscale", longName.toString(), "--out", dir.resolve("long").toString(),
                "--method", "bicubic", "--scale", "2");
        assertEquals(0, lng.code(), lng.err());
        assertTrue(Files.exists(dir.resolve("long").resolve(longName.getFileName())));
        Path file = Files.writeString(dir.resolve("report"), "a file, not a folder");
        CliTest.Run eval = CliTest.run("eval", "--hr", dir.toString(), "--scale", "2", "--out", file.toString(),
                "--model", modelFile().toString());
        assertEquals(ExitCode.IO_ERROR, eval.code(), eval.err());
        // Refused before any scoring: no per-image line was printed (not a wall-clock bound, which a loaded
        // machine can miss).
        assertFalse(eval.err().contains("psnr_y"), "scored before refusing: " + eval.err());
    }

    private Path modelFile() {
        Path m = dir.resolve("tiny-model.safetensors");
        if (!Files.exists(m)) {
            DiffusionUpscalerTest.saveTinyModel(m);
        }
        return m;
    }
}
