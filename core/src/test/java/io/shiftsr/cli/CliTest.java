package io.shiftsr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shiftsr.ReferenceData;
import io.shiftsr.image.Image;
import io.shiftsr.image.ImageReading;
import io.shiftsr.image.TestImages;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Exit codes and one-line messages of the commands, run in-process. */
class CliTest {
    @TempDir
    Path dir;

    /** Result of one run. */
    record Run(int code, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\\R"));
        }
    }

    static Run run(String... args) {
        return run(Main.commandLine(), args);
    }

    static Run run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path image(String name, int w, int h) {
        return TestImages.write(dir.resolve(name), w, h, 3, false);
    }

    @Test
    void upscaleWritesPngNamedAfterInput() {
        Path in = image("in.jpg", 10, 7);
        Path out = dir.resolve("out");
        Run r = run("upscale", in.toString(), "--out", out.toString(), "--scale", "4", "--method", "bicubic");
        assertEquals(0, r.code(), r.err());
        Image up = ImageReading.read(out.resolve("in.png"));
        assertEquals(40, up.width());
        assertEquals(28, up.height());
    }

    @Test
    void existingOutputIsKeptUnlessOverwrite() throws Exception {
        Path in = image("a.png", 8, 8);
        Path out = Files.createDirectory(dir.resolve("out"));
        Files.writeString(out.resolve("a.png"), "keep me");
        Run r = run("upscale", "--method", "bicubic", in.toString(), "--out", out.toString());
        assertEquals(0, r.code());
        assertTrue(r.err().contains("exists, skipped"), r.err());
        assertEquals("keep me", Files.readString(out.resolve("a.png")));
        Run q = run("upscale", "--method", "bicubic", in.toString(), "--out", out.toString(), "--quiet");
        assertEquals("", q.err());
        Run o = run("upscale", "--method", "bicubic", in.toString(), "--out", out.toString(), "--overwrite");
        assertEquals(0, o.code(), o.err());
        assertEquals(32, ImageReading.read(out.resolve("a.png")).width());
    }

    /**
     * Issue 31: a --compare run stopped after NAME_compare.png (SIGTERM, disk full) blocked NAME.png for good, as
     * any existing output skipped the input. Only an input whose outputs all exist is skipped now; the missing
     * ones are made, the existing ones kept (replaced with --overwrite).
     */
    @Test
    void aRerunMakesTheMissingOutputsAndKeepsTheOthers() throws Exception {
        Path in = image("a.png", 8, 8);
        Path out = Files.createDirectory(dir.resolve("out"));
        Path main = out.resolve("a.png"), side = out.resolve("a_compare.png");
        Files.writeString(side, "left by a stopped run");
        Run r = run("upscale", "--method", "bicubic", in.toString(), "--out", out.toString(), "--compare");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("shiftsr: warning: " + side + " exists, kept (use --overwrite to replace it)"),
                r.errLines());
        assertEquals(32, ImageReading.read(main).width());
        assertEquals("left by a stopped run", Files.readString(side));
        // The other way round: the main output there, the comparison missing.
        Files.delete(side);
        Files.writeString(main, "keep me");
        r = run("upscale", "--method", "bicubic", in.toString(), "--out", out.toString(), "--compare", "-q");
        assertEquals(0, r.code(), r.err());
        assertEquals("keep me", Files.readString(main));
        assertTrue(ImageReading.read(side).width() > 32);
        // Both there: skipped, nothing changed; --overwrite replaces both.
        byte[] sideBytes = Files.readAllBytes(side);
        r = run("upscale", "--method", "bicubic", in.toString(), "--out", out.toString(), "--compare");
        assertTrue(r.err().contains("exists, skipped"), r.err());
        assertEquals("keep me", Files.readString(main));
        assertTrue(java.util.Arrays.equals(sideBytes, Files.readAllBytes(side)));
        r = run("upscale", "--method", "bicubic", in.toString(), "--out", out.toString(), "--compare", "--overwrite");
        assertEquals(0, r.code(), r.err());
        assertEquals(32, ImageReading.read(main).width());
    }

    /** Issue 31 item 14: "upscale --scale 1" blamed the model file (exit 3); it is a usage error. */
    @Test
    void upscaleScaleOneIsAUsageError() {
        Path in = image("a.png", 8, 8);
        Run r = run("upscale", in.toString(), "--scale", "1", "--out", dir.resolve("sr").toString());
        assertEquals(ExitCode.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--scale must be above 1 for the diffusion model, got 1.0"), r.err());
        assertFalse(Files.exists(dir.resolve("sr")));
    }

    /** Issue 31: degrade's help says the scale is "> 1" but 1 was taken; a huge one was reported as 2147483647. */
    @Test
    void degradeScaleIsAboveOneAndReportedAsGiven() {
        Path in = image("a.png", 8, 8);
        Run r = run("degrade", in.toString(), "--scale", "1", "--out", dir.resolve("lr").toString());
        assertEquals(ExitCode.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--scale must be a number > 1, got 1"), r.err());
        assertFalse(Files.exists(dir.resolve("lr")));
        r = run("degrade", in.toString(), "--scale", "3e9", "--out", dir.resolve("lr").toString());
        assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
        assertEquals(List.of("shiftsr: " + in + ": 8x8 image is smaller than the scale 3000000000"), r.errLines());
    }

    /** Issue 31: "eval --steps ," is an empty list, and scored bicubic alone without a word. */
    @Test
    void evalRefusesAnEmptyList() {
        Path hr = image("a.png", 48, 48);
        for (String option : List.of("--steps", "--process", "--ensemble", "--denoise", "--jpeg", "--webp")) {
            Run r = run("eval", "--hr", hr.getParent().toString(), option, ",", "--out", dir.resolve("rep").toString());
            assertEquals(ExitCode.USAGE, r.code(), option + ": " + r.err());
            assertTrue(r.err().contains(option + " needs at least one value"), r.err());
        }
        assertFalse(Files.exists(dir.resolve("rep").resolve("report.md")));
    }

    /** Issue 31: a.png and ./a.png are one input, not two whose outputs clash. */
    @Test
    void oneFileSpelledTwoWaysIsOneInput() {
        Path in = image("a.png", 8, 8);
        Path out = dir.resolve("out");
        Run r = run("upscale", "--method", "bicubic", in.toString(), in.getParent().resolve(".").resolve("a.png")
                .toString(), in.toAbsolutePath().toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertEquals(32, ImageReading.read(out.resolve("a.png")).width());
    }

    /** An output under 1 pixel (ShiftSr refuses it) is one line naming the input once. */
    @Test
    void aScaleLeavingNoOutputPixelIsOneLine() {
        Path in = image("a.png", 8, 12);
        for (String flag : List.of("--quiet", "--compare")) {
            Run r = run("upscale", "--method", "bicubic", in.toString(), "--scale", "0.0625", "--out",
                    dir.resolve("o").toString(), flag);
            assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
            assertEquals(List.of("shiftsr: " + in + ": scale 0.0625 makes less than 1 output pixel of a 8x12 image"),
                    r.errLines());
        }
    }

    @Test
    void missingInputIsBadInput() {
        Run r = run("upscale", "--method", "bicubic", dir.resolve("nope.png").toString(), "--out", dir.resolve("o").toString());
        assertEquals(ExitCode.BAD_INPUT, r.code());
        assertEquals(List.of("shiftsr: " + dir.resolve("nope.png") + ": no such file or folder"), r.errLines());
    }

    @Test
    void singleBadFileIsBadInputWithOneLine() throws Exception {
        Path text = dir.resolve("cat.png");
        Files.writeString(text, "meow");
        Run r = run("upscale", "--method", "bicubic", text.toString(), "--out", dir.resolve("o").toString(), "-q");
        assertEquals(ExitCode.BAD_INPUT, r.code());
        assertEquals(List.of("shiftsr: " + text + ": not a supported image (PNG, JPEG, BMP, WebP, TIFF)"), r.errLines());
        // Without the configured handlers too (plain picocli), the code is the same.
        Run plain = run(new CommandLine(new Main()), "upscale", "--method", "bicubic", text.toString(), "--out",
                dir.resolve("o").toString(), "-q");
        assertEquals(ExitCode.BAD_INPUT, plain.code());
    }

    @Test
    void batchKeepsGoingPastBadFilesAndExitsOne() throws Exception {
        Path in = Files.createDirectory(dir.resolve("in"));
        Files.move(image("good.png", 6, 6), in.resolve("good.png"));
        Files.writeString(in.resolve("bad.png"), "not an image");
        Files.createFile(in.resolve("empty.jpg"));
        Path out = dir.resolve("out");
        Run r = run("upscale", "--method", "bicubic", in.toString(), "--out", out.toString());
        assertEquals(ExitCode.SOME_FAILED, r.code());
        assertTrue(Files.exists(out.resolve("good.png")));
        List<String> lines = r.errLines();
        assertEquals(3, lines.size(), r.err());
        assertEquals("shiftsr: " + in.resolve("bad.png") + ": not a supported image (PNG, JPEG, BMP, WebP, TIFF)", lines.get(0));
        assertEquals("shiftsr: " + in.resolve("empty.jpg") + ": file is empty", lines.get(1));
        assertEquals("shiftsr: 1 of 3 upscaled, 2 failed", lines.get(2));
        for (String line : lines) {
            assertFalse(line.contains("Exception"), line);
        }
    }

    @Test
    void usageErrorsExitTwoWithOneLine() {
        Run noScale = run("upscale", "x.png", "--out", "o", "--scale", "-2");
        assertEquals(ExitCode.USAGE, noScale.code());
        assertEquals(1, noScale.errLines().size(), noScale.err());
        assertTrue(noScale.err().startsWith("shiftsr: --scale must be a number from 1/16 to 16"), noScale.err());
        Run method = run("upscale", "x.png", "--out", "o", "--method", "magic");
        assertEquals(ExitCode.USAGE, method.code());
        assertTrue(method.err().contains("unknown --method 'magic' (available: shiftsr, bicubic)"), method.err());
        Run missingOut = run("upscale", "x.png");
        assertEquals(ExitCode.USAGE, missingOut.code());
        assertEquals(1, missingOut.errLines().size(), missingOut.err());
        assertEquals(ExitCode.USAGE, run().code());
        assertEquals(ExitCode.USAGE, run("frobnicate").code());
    }

    @Test
    void everyCommandHasHelp() {
        for (String cmd : List.of("degrade", "upscale", "metrics")) {
            Run r = run(cmd, "--help");
            assertEquals(0, r.code());
            assertTrue(r.out().startsWith("Usage: shiftsr " + cmd), r.out());
        }
        assertEquals(0, run("--version").code());
    }

    @Test
    void outputFolderThatIsAFileIsAnIoError() throws Exception {
        Path in = image("a.png", 4, 4);
        Path file = Files.writeString(dir.resolve("file"), "x");
        Run r = run("upscale", "--method", "bicubic", in.toString(), "--out", file.toString());
        assertEquals(ExitCode.IO_ERROR, r.code());
        assertEquals(List.of("shiftsr: " + file + ": exists and is not a folder"), r.errLines());
    }

    @Test
    void degradeThenMetricsOnGeneratedImages() throws Exception {
        Path hr = Files.createDirectory(dir.resolve("hr"));
        Files.move(image("one.png", 50, 41), hr.resolve("one.png"));
        Files.move(image("two.png", 64, 48), hr.resolve("two.png"));
        Path lr = dir.resolve("lr");
        Run d = run("degrade", hr.toString(), "--scale", "4", "--out", lr.toString(), "-q");
        assertEquals(0, d.code(), d.err());
        assertEquals(12, ImageReading.read(lr.resolve("one.png")).width());
        Path sr = dir.resolve("sr");
        assertEquals(0, run("upscale", "--method", "bicubic", lr.toString(), "--out", sr.toString(), "-q").code());
        Path json = dir.resolve("m.json");
        // HR one.png is 50x41, SR 48x40: HR gets mod-cropped.
        Run m = run("metrics", "--sr", sr.toString(), "--hr", hr.toString(), "--scale", "4", "--json", json.toString());
        assertEquals(0, m.code(), m.err());
        String[] lines = m.out().split("\\R");
        assertEquals(4, lines.length, m.out());
        assertTrue(lines[3].matches("mean psnr_y=\\d+\\.\\d{4} ssim_y=0\\.\\d{4} n=2"), lines[3]);
        assertTrue(Files.readString(json).contains("\"psnr_rgb\""));
    }

    @Test
    void metricsReportsSizeMismatch() throws Exception {
        Path sr = Files.createDirectory(dir.resolve("sr"));
        Path hr = Files.createDirectory(dir.resolve("hr"));
        Files.move(image("x.png", 20, 20), sr.resolve("x.png"));
        Files.move(image("x.jpg", 30, 20), hr.resolve("x.jpg"));
        Run m = run("metrics", "--sr", sr.toString(), "--hr", hr.toString());
        assertEquals(ExitCode.BAD_INPUT, m.code());
        assertEquals(1, m.errLines().size(), m.err());
        assertTrue(m.err().contains("does not match HR"), m.err());
    }

    @Test
    void referenceBaselineThroughTheCli() {
        Path root = ReferenceData.root();
        Path sr = dir.resolve("sr");
        Run u = run("upscale", root.resolve("lr").toString(), "--out", sr.toString(), "--scale", "4",
                "--method", "bicubic", "-q");
        assertEquals(0, u.code(), u.err());
        Run m = run("metrics", "--sr", sr.toString(), "--hr", root.resolve("hr").toString(), "--scale", "4", "-q");
        assertEquals(0, m.code(), m.err());
        String[] lines = m.out().split("\\R");
        String last = lines[lines.length - 1];
        com.fasterxml.jackson.databind.JsonNode ref;
        try {
            ref = new com.fasterxml.jackson.databind.ObjectMapper().readTree(root.resolve("reference.json").toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertTrue(last.matches("mean psnr_y=\\d+\\.\\d{4} ssim_y=0\\.\\d{4} n=" + ref.path("n").asInt()), last);
        double psnr = Double.parseDouble(last.replaceAll(".*psnr_y=(\\S+).*", "$1"));
        double ssim = Double.parseDouble(last.replaceAll(".*ssim_y=(\\S+).*", "$1"));
        assertEquals(ref.path("mean").path("psnr_y").asDouble(), psnr, 0.01); // 27.4791 on the shared 8
        assertEquals(ref.path("mean").path("ssim_y").asDouble(), ssim, 0.0005);
    }
}
