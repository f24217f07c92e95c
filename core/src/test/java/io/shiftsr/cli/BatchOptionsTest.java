package io.shiftsr.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import io.shiftsr.image.Image;
import io.shiftsr.image.ImageReading;
import io.shiftsr.image.ImageWriting;
import io.shiftsr.image.MetadataFixtures;
import io.shiftsr.image.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --format, --quality, --suffix, --recursive, --files-from and --jsonl of the image batch commands. */
class BatchOptionsTest {
    @TempDir
    Path dir;

    /** The "done when": samples/ recursively to JPEG q92, folders mirrored, ICC and EXIF kept. */
    @Test
    void samplesRecursiveToJpegMirrorsFoldersAndKeepsIccAndExif() throws Exception {
        Path out = dir.resolve("out");
        CliTest.Run r = CliTest.run("upscale", "samples", "--recursive", "--format", "jpg", "--quality", "92",
                "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.err());
        assertEquals(512, ImageReading.read(out.resolve("astronaut-lr.jpg")).width());
        Path photo = out.resolve("photos/astronaut-icc-exif.jpg");
        Image up = ImageReading.read(photo);
        assertEquals(384, up.width());
        byte[] jpeg = Files.readAllBytes(photo);
        assertArrayEquals(MetadataFixtures.srgbProfile(), MetadataFixtures.jpegSegment(jpeg, JPEG.APP2, "ICC_PROFILE"));
        byte[] exif = MetadataFixtures.jpegSegment(jpeg, JPEG.APP1, "Exif");
        assertEquals("ShiftSR sample", MetadataFixtures.exifValue(exif, TIFF.TAG_MAKE, false).toString().trim());
        assertEquals(384L, ((Number) MetadataFixtures.exifValue(exif, 40962, true)).longValue());
    }

    @Test
    void sameNamesInTwoFoldersNeverOverwriteEachOther() throws Exception {
        Path a = TestImages.write(Files.createDirectories(dir.resolve("in/a")).resolve("x.png"), 8, 6, 3, false);
        Path b = TestImages.write(Files.createDirectories(dir.resolve("in/b")).resolve("x.png"), 9, 6, 3, false);
        // Flat: the second x.png would land on the first one's output: an error for it, nothing replaced.
        Path flat = dir.resolve("flat");
        CliTest.Run r = CliTest.run("upscale", a.toString(), b.toString(), "--method", "bicubic", "--scale", "2",
                "--out", flat.toString(), "-q");
        assertEquals(ExitCode.SOME_FAILED, r.code());
        assertTrue(r.err().contains("is also an output of"), r.err());
        assertEquals(16, ImageReading.read(flat.resolve("x.png")).width());
        // Recursive: mirrored, both written.
        Path tree = dir.resolve("tree");
        r = CliTest.run("upscale", dir.resolve("in").toString(), "--recursive", "--method", "bicubic", "--scale", "2",
                "--out", tree.toString(), "-q");
        assertEquals(0, r.code(), r.err());
        assertEquals(16, ImageReading.read(tree.resolve("a/x.png")).width());
        assertEquals(18, ImageReading.read(tree.resolve("b/x.png")).width());
    }

    @Test
    void suffixAndTiffKeepSixteenBitsGrayAndAlpha() throws Exception {
        float[] g = new float[10 * 8];
        float[] alpha = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = (i * 811 % 65536) / 65535f;
            alpha[i] = 1f - i / (float) g.length;
        }
        Path in = dir.resolve("deep.png");
        ImageWriting.write(Image.of(10, 8, new float[][] {g}, alpha, 16), in);
        Path out = dir.resolve("o");
        CliTest.Run r = CliTest.run("upscale", in.toString(), "--method", "bicubic", "--scale", "2", "--format",
                "tiff", "--suffix", "_x2", "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.err());
        Image up = ImageReading.read(out.resolve("deep_x2.tiff"));
        assertTrue(up.isGray() && up.hasAlpha() && up.sourceBitDepth() == 16, up.toString());
        assertEquals(20, up.width());
    }

    @Test
    void jsonlSaysWhatTheModelWasToldAboutEachInput() throws Exception {
        Path model = io.shiftsr.inference.DiffusionUpscalerTest.saveTinyModel(dir.resolve("random.safetensors"),
                io.shiftsr.inference.DiffusionUpscalerTest.TINY_AWARE);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        io.shiftsr.image.ImageWriting.write(io.shiftsr.image.ImageReading.read(Path.of("samples/astronaut-lr.png")),
                bytes, "jpg", 40);
        Path jpeg = Files.write(dir.resolve("photo.jpg"), bytes.toByteArray());
        // the streamed PNG path, the whole-image path of --compare, and a choice
        for (String[] extra : new String[][] {{}, {"--compare"}, {"--denoise", "off"}}) {
            Path jsonl = dir.resolve("run.jsonl");
            List<String> args = new java.util.ArrayList<>(List.of("upscale", jpeg.toString(), "--model",
                    model.toString(), "--scale", "2", "--steps", "1", "--out", dir.resolve("o").toString(),
                    "--jsonl", jsonl.toString(), "--overwrite", "-q"));
            args.addAll(List.of(extra));
            CliTest.Run r = CliTest.run(args.toArray(String[]::new));
            assertEquals(ExitCode.OK, r.code(), r.err());
            JsonNode told = new ObjectMapper().readTree(Files.readAllLines(jsonl).get(0)).get("denoise");
            boolean off = extra.length == 2 && extra[1].equals("off");
            assertEquals(off ? "chosen" : "jpeg-file", told.get("from").asText(), told.toString());
            assertEquals(off ? 0 : 40, told.get("quality").asInt());
            assertEquals(off ? 0 : io.shiftsr.sr.DegradationLevel.ofJpegQuality(40), told.get("level").asDouble(), 1e-3);
        }
    }

    @Test
    void filesFromAndJsonlRecordEveryInput() throws Exception {
        Path good = TestImages.write(dir.resolve("good.png"), 8, 6, 3, false);
        Path bad = Files.writeString(dir.resolve("bad.png"), "not an image");
        Path list = Files.writeString(dir.resolve("list.txt"), "# inputs\n" + good + "\n\n" + bad + "\n");
        Path out = dir.resolve("o");
        Path jsonl = dir.resolve("run.jsonl");
        CliTest.Run r = CliTest.run("upscale", "--files-from", list.toString(), "--jsonl", jsonl.toString(),
                "--method", "bicubic", "--scale", "2", "--out", out.toString(), "-q");
        assertEquals(ExitCode.SOME_FAILED, r.code());
        List<String> lines = Files.readAllLines(jsonl);
        assertEquals(2, lines.size());
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> byInput = Map.of(
                json.readTree(lines.get(0)).get("input").asText(), json.readTree(lines.get(0)),
                json.readTree(lines.get(1)).get("input").asText(), json.readTree(lines.get(1)));
        JsonNode ok = byInput.get(good.toString());
        assertEquals("done", ok.get("status").asText());
        assertEquals(out.resolve("good.png").toString(), ok.get("output").asText());
        assertEquals(16, ok.get("width").asInt());
        assertTrue(ok.get("ms").asLong() >= 0);
        assertTrue(ok.has("denoise") && ok.get("denoise").isNull(), "bicubic is told nothing: " + ok);
        JsonNode failed = byInput.get(bad.toString());
        assertEquals("error", failed.get("status").asText());
        assertTrue(failed.get("error").asText().contains("not a supported image"), failed.toString());
        // "-" is standard output, as for --files-from, not a file named "-".
        r = CliTest.run("upscale", good.toString(), "--jsonl", "-", "--method", "bicubic", "--scale", "2",
                "--out", dir.resolve("o2").toString(), "-q");
        assertEquals(ExitCode.OK, r.code(), r.err());
        assertEquals("done", json.readTree(r.out().strip()).get("status").asText(), r.out());
        assertFalse(Files.exists(Path.of("-")), "no file named -");
        // A second run keeps the first jsonl unless --overwrite.
        r = CliTest.run("upscale", good.toString(), "--jsonl", jsonl.toString(), "--method", "bicubic",
                "--out", out.toString(), "-q");
        assertEquals(ExitCode.IO_ERROR, r.code());
        assertEquals(2, Files.readAllLines(jsonl).size());
    }

    /**
     * Issue 31: --jsonl naming one of the run's own outputs let the image replace the records with --overwrite
     * (exit 0), and skipped the image without it. The records file is never an input, list or output of the run.
     */
    @Test
    void jsonlIsNeverAnInputOrOutputOfTheRun() throws Exception {
        Path in = TestImages.write(dir.resolve("in.png"), 8, 6, 3, false);
        Path out = dir.resolve("j");
        Path clash = out.resolve("in.png");
        for (String flag : new String[] {"--overwrite", "--compare"}) {
            CliTest.Run r = CliTest.run("upscale", in.toString(), "--out", out.toString(), "--jsonl", clash.toString(),
                    "--method", "bicubic", "--scale", "2", "-q", flag);
            assertEquals(ExitCode.USAGE, r.code(), r.err());
            assertTrue(r.err().contains("--jsonl " + clash + " is also an output of " + in), r.err());
            assertFalse(Files.exists(clash));
        }
        Path compare = out.resolve("in_compare.png");
        CliTest.Run r = CliTest.run("upscale", in.toString(), "--out", out.toString(), "--jsonl", compare.toString(),
                "--method", "bicubic", "--compare", "-q");
        assertEquals(ExitCode.USAGE, r.code(), r.err());
        assertFalse(Files.exists(compare));
        // Its own input, or the list it reads: the run would empty it first.
        byte[] before = Files.readAllBytes(in);
        r = CliTest.run("upscale", in.toString(), "--out", out.toString(), "--jsonl", in.toString(), "--method",
                "bicubic", "--overwrite", "-q");
        assertEquals(ExitCode.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--jsonl " + in + " is the input"), r.err());
        assertArrayEquals(before, Files.readAllBytes(in));
        Path list = Files.writeString(dir.resolve("list.txt"), in + "\n");
        r = CliTest.run("upscale", "--files-from", list.toString(), "--out", out.toString(), "--jsonl",
                dir.resolve("./list.txt").toString(), "--method", "bicubic", "--overwrite", "-q");
        assertEquals(ExitCode.USAGE, r.code(), r.err());
        assertEquals(in + "\n", Files.readString(list));
    }

    /** Issue 31: one missing file among the inputs aborted the whole batch (exit 3, nothing written). */
    @Test
    void aMissingInputIsOneErrorLineAndTheRestAreProcessed() throws Exception {
        Path good = TestImages.write(dir.resolve("good.png"), 8, 6, 3, false);
        Path gone = dir.resolve("nope.png");
        Path out = dir.resolve("o");
        CliTest.Run r = CliTest.run("upscale", good.toString(), gone.toString(), "--method", "bicubic", "--scale", "2",
                "--out", out.toString(), "-q");
        assertEquals(ExitCode.SOME_FAILED, r.code(), r.err());
        assertEquals(List.of("shiftsr: " + gone + ": no such file or folder", "shiftsr: 1 of 2 upscaled, 1 failed"),
                r.errLines());
        assertEquals(16, ImageReading.read(out.resolve("good.png")).width());
        // A stale line in --files-from, recorded in --jsonl like any failed input.
        Path other = TestImages.write(dir.resolve("other.png"), 5, 4, 3, false);
        Path list = Files.writeString(dir.resolve("list.txt"), other + "\n" + gone + "\n");
        Path jsonl = dir.resolve("run.jsonl");
        r = CliTest.run("upscale", "--files-from", list.toString(), "--jsonl", jsonl.toString(), "--method", "bicubic",
                "--scale", "2", "--out", out.toString(), "-q");
        assertEquals(ExitCode.SOME_FAILED, r.code(), r.err());
        assertEquals(List.of("shiftsr: " + gone + ": no such file or folder", "shiftsr: 1 of 2 upscaled, 1 failed"),
                r.errLines());
        assertEquals(10, ImageReading.read(out.resolve("other.png")).width());
        assertTrue(Files.readString(jsonl).contains("\"status\":\"error\",\"error\":\"" + gone
                + ": no such file or folder\""), Files.readString(jsonl));
        // Nothing there at all: the error of a single missing input, as before.
        r = CliTest.run("upscale", gone.toString(), dir.resolve("nope2.png").toString(), "--method", "bicubic",
                "--out", dir.resolve("o2").toString(), "-q");
        assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
        assertEquals(List.of("shiftsr: " + gone + ": no such file or folder"), r.errLines());
        assertFalse(Files.exists(dir.resolve("o2")));
    }

    @Test
    void badOptionsAreOneLineUsageErrors() {
        for (List<String> bad : List.of(List.of("--format", "gif"), List.of("--quality", "0"),
                List.of("--suffix", "a/b"))) {
            List<String> args = new java.util.ArrayList<>(List.of("upscale", "samples", "--out", dir.toString(),
                    "--method", "bicubic"));
            args.addAll(bad);
            CliTest.Run r = CliTest.run(args.toArray(String[]::new));
            assertEquals(ExitCode.USAGE, r.code(), bad + ": " + r.err());
            assertEquals(1, r.errLines().size(), r.err());
        }
        CliTest.Run none = CliTest.run("upscale", "--out", dir.toString());
        assertEquals(ExitCode.USAGE, none.code());
        assertTrue(none.err().contains("no inputs"), none.err());
    }
}
