package io.shiftsr.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shiftsr.image.Image;
import io.shiftsr.image.ImageReading;
import io.shiftsr.image.ImageWriting;
import io.shiftsr.image.TestImages;
import io.shiftsr.inference.DiffusionUpscalerTest;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** shiftsr eval: benchmark folders, the three report files, and the page as a real browser draws it. */
class EvalReportTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;
    Path model;

    @BeforeEach
    void randomModel() {
        model = dir.resolve("random.safetensors");
        DiffusionUpscalerTest.saveTinyModel(model);
    }

    /** --jpeg and --webp: one set per quality, the LR saved by the real encoder; the lower quality loses more. */
    @Test
    void jpegAndWebpSweepsScoreOneSetPerQuality() throws Exception {
        Path hr = Files.createDirectories(dir.resolve("photos/hr"));
        Files.copy(Path.of("samples/astronaut-lr.png"), hr.resolve("astronaut.png"));
        Path out = dir.resolve("sweep");
        CliTest.Run r = CliTest.run("eval", "--hr", hr.toString(), "--scale", "2", "--model", model.toString(),
                "--steps", "1", "--crop", "0", "--jpeg", "30,90", "--webp", "20,95", "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.err());
        JsonNode sets = new ObjectMapper().readTree(out.resolve("report.json").toFile()).get("sets");
        List<String> names = new java.util.ArrayList<>();
        java.util.Map<String, Double> bicubic = new java.util.HashMap<>();
        for (JsonNode set : sets) {
            String name = set.get("set").asText();
            names.add(name);
            for (JsonNode row : set.get("means")) {
                if (row.get("setting").asText().equals("bicubic")) {
                    bicubic.put(name, row.get("psnrY").asDouble());
                }
            }
        }
        assertEquals(List.of("photos-jpeg30", "photos-jpeg90", "photos-webp20", "photos-webp95"), names);
        assertTrue(bicubic.get("photos-jpeg30") < bicubic.get("photos-jpeg90") - 0.3, bicubic.toString());
        assertTrue(bicubic.get("photos-webp20") < bicubic.get("photos-webp95") - 0.3, bicubic.toString());
        CliTest.Run withLr = CliTest.run("eval", "--hr", hr.toString(), "--lr", hr.toString(), "--webp", "50",
                "--out", out.toString());
        assertEquals(ExitCode.USAGE, withLr.code(), withLr.err());
        assertTrue(withLr.err().contains("--webp makes the LR from --hr"), withLr.err());
    }

    /**
     * --against: each setting's PSNR-Y minus the earlier report's, image by image, in the output, report.md and
     * report.json; a set whose bicubic scores differ (other LR) is not compared; an unreadable report is one line.
     */
    @Test
    void againstAnEarlierReportComparesImageByImage() throws Exception {
        Path hr = Files.createDirectories(dir.resolve("photos/hr"));
        Files.copy(Path.of("samples/astronaut-lr.png"), hr.resolve("astronaut.png"));
        TestImages.write(hr.resolve("noise.png"), 64, 48, 3, false);
        Path first = dir.resolve("random");
        CliTest.Run a = CliTest.run("eval", "--hr", hr.toString(), "--scale", "2", "--model", model.toString(),
                "--steps", "1", "--crop", "0", "--out", first.toString(), "-q");
        assertEquals(0, a.code(), a.err());
        assertFalse(Files.readString(first.resolve("report.json")).contains("\"against\""), "only with --against");

        Path second = dir.resolve("bundled");
        CliTest.Run b = CliTest.run("eval", "--hr", hr.toString(), "--scale", "2", "--steps", "1", "--crop", "0",
                "--against", first.toString(), "--out", second.toString(), "-q");
        assertEquals(0, b.code(), b.err());
        java.util.Map<String, Double> was = psnr(first, "deltadiff-1"), now = psnr(second, "deltadiff-1");
        JsonNode rows = new ObjectMapper().readTree(second.resolve("report.json").toFile()).get("against").get("rows");
        assertEquals(1, rows.size(), rows.toString());
        JsonNode row = rows.get(0);
        assertEquals("photos", row.get("set").asText());
        assertEquals("deltadiff-1", row.get("setting").asText());
        assertEquals(2, row.get("images").asInt());
        double d1 = now.get("astronaut") - was.get("astronaut"), d2 = now.get("noise") - was.get("noise");
        assertEquals((d1 + d2) / 2, row.get("meanDelta").asDouble(), 1e-9);
        assertEquals(Math.min(d1, d2), row.get("worst").asDouble(), 1e-9);
        assertEquals((d1 > 0 ? 1 : 0) + (d2 > 0 ? 1 : 0), row.get("ahead").asInt());
        assertTrue(d1 > 0.5, "the trained model beats a random one on the photo: " + d1);
        assertTrue(b.out().contains("Against " + first) && b.out().contains("| photos | deltadiff-1 | 2 |"), b.out());
        assertTrue(Files.readString(second.resolve("report.md")).contains("## Against an earlier report"));
        String page = Files.readString(second.resolve("index.html"));
        assertTrue(page.contains("<table class=\"against\">") && page.contains("<td>deltadiff-1</td><td class=\"n\">2</td>"),
                "the page ends with the comparison");
        assertFalse(Files.readString(first.resolve("index.html")).contains("class=\"against\""));

        // The same model against itself: level on every image.
        CliTest.Run same = CliTest.run("eval", "--hr", hr.toString(), "--scale", "2", "--model", model.toString(),
                "--steps", "1", "--crop", "0", "--against", first.resolve("report.json").toString(), "--out",
                dir.resolve("same").toString(), "-q");
        assertEquals(0, same.code(), same.err());
        assertTrue(same.out().contains("| photos | deltadiff-1 | 2 | +0.0000 | +0.0000 | 0 | 0 |"), same.out());
        assertTrue(same.out().contains("ahead on 0, behind on 0 of 2 image scores"), same.out());

        // Other LR (x3 of the same HR): bicubic differs, so nothing is compared, and it says why.
        CliTest.Run other = CliTest.run("eval", "--hr", hr.toString(), "--scale", "3", "--model", model.toString(),
                "--steps", "1", "--crop", "0", "--against", first.toString(), "--out", dir.resolve("x3").toString(),
                "-q");
        assertEquals(0, other.code(), other.err());
        assertTrue(other.out().contains("photos: bicubic scores 2 of 2 images differently, so the sets are not the"
                + " same images; not compared"), other.out());

        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"sets\": [");
        for (Path p : List.of(bad, dir.resolve("missing.json"))) {
            CliTest.Run r = CliTest.run("eval", "--hr", hr.toString(), "--scale", "2", "--model", model.toString(),
                    "--steps", "1", "--against", p.toString(), "--out", dir.resolve("never").toString(), "-q");
            assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
            assertTrue(r.err().startsWith("shiftsr: --against " + p + ": cannot read the report ("), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertFalse(Files.exists(dir.resolve("never/report.json")));
        }
    }

    /** PSNR-Y per image of one setting in a report folder. */
    private static java.util.Map<String, Double> psnr(Path report, String setting) throws Exception {
        java.util.Map<String, Double> m = new java.util.HashMap<>();
        for (JsonNode s : new ObjectMapper().readTree(report.resolve("report.json").toFile()).get("sets").get(0)
                .get("scores")) {
            if (s.get("setting").asText().equals(setting)) {
                m.put(s.get("image").asText(), s.get("psnrY").asDouble());
            }
        }
        return m;
    }

    @Test
    void benchmarkRootIsScoredSetBySetWithHrModCropped() throws Exception {
        Path root = dir.resolve("benchmarks");
        for (String d : List.of("Set5/HR", "Set5/LR_bicubic/X4", "BSDS100", "notes")) {
            Files.createDirectories(root.resolve(d));
        }
        TestImages.write(root.resolve("Set5/HR/baby.png"), 66, 50, 3, false);
        TestImages.write(root.resolve("Set5/HR/bird.png"), 48, 48, 3, false);
        TestImages.write(root.resolve("Set5/LR_bicubic/X4/baby.png"), 16, 12, 3, false); // ignored
        TestImages.write(root.resolve("BSDS100/zebra.png"), 40, 44, 3, false);
        Path out = dir.resolve("report");
        CliTest.Run r = CliTest.run("eval", "--benchmarks", root.toString(), "--scale", "4", "--model",
                model.toString(), "--steps", "1,2", "--crop", "16", "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        JsonNode sets = json.get("sets");
        assertEquals(2, sets.size());
        assertEquals("Set5", sets.get(0).get("set").asText());
        assertEquals(List.of("baby", "bird"), List.of(sets.get(0).get("images").get(0).asText(),
                sets.get(0).get("images").get(1).asText()));
        assertEquals("B100", sets.get(1).get("set").asText());
        assertEquals(3 * 2, sets.get(0).get("scores").size()); // bicubic, deltadiff-1, deltadiff-2 x 2 images
        assertTrue(sets.get(0).get("scores").get(0).get("lpips").isNull());
        JsonNode region = sets.get(0).get("regions").get(0);
        assertEquals(16, region.get("size").asInt());
        assertTrue(region.get("x").asInt() + 16 <= 64, "crop inside the mod-cropped 64x48 HR: " + region);
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("## Set5") && md.contains("## B100"), md);
        String html = Files.readString(out.resolve("index.html"));
        assertTrue(html.contains("LPIPS: not available"), "page says LPIPS is missing");
        // 2 plots per set + 4 crops (3 settings + HR) per image, all inline
        assertEquals(2 * 2 + 4 * 3, html.split("data:image/png;base64,", -1).length - 1);
    }

    @Test
    void withLpipsWeightsEveryScoreHasLpipsAndThePageShowsTheColumn() throws Exception {
        Path hr = Files.createDirectories(dir.resolve("hr"));
        TestImages.write(hr.resolve("a.png"), 64, 64, 3, false);
        Path weights = dir.resolve("lpips.safetensors");
        io.shiftsr.weights.SafetensorsWriter.write(weights,
                new java.util.ArrayList<>(io.shiftsr.metrics.LpipsTest.randomWeights(3).values()), java.util.Map.of());
        Path out = dir.resolve("report");
        CliTest.Run r = CliTest.run("eval", "--hr", hr.toString(), "--scale", "4", "--model", model.toString(),
                "--steps", "1", "--lpips", weights.toString(), "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertTrue(json.get("lpips").asBoolean());
        for (JsonNode score : json.get("sets").get(0).get("scores")) {
            assertTrue(score.get("lpips").asDouble() > 0, score.toString());
        }
        assertTrue(Files.readString(out.resolve("index.html")).contains("<th>LPIPS</th>"));
        CliTest.Run bad = CliTest.run("eval", "--hr", hr.toString(), "--scale", "4", "--model", model.toString(),
                "--lpips", model.toString(), "--out", out.toString());
        assertEquals(ExitCode.BAD_INPUT, bad.code(), bad.err());
        assertTrue(bad.err().contains("not LPIPS-VGG weights"), bad.err());
    }

    @Test
    void benchmarkRootWithoutAnyKnownSetIsOneLineBadInput() throws Exception {
        Files.createDirectories(dir.resolve("empty/photos"));
        CliTest.Run r = CliTest.run("eval", "--benchmarks", dir.resolve("empty").toString(), "--model",
                model.toString(), "--out", dir.resolve("o").toString());
        assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("no benchmark set folder"), r.err());
        CliTest.Run both = CliTest.run("eval", "--benchmarks", dir.toString(), "--hr", dir.toString(), "--out", "o");
        assertEquals(ExitCode.USAGE, both.code(), both.err());
    }

    @Test
    void thePageRendersTablesPlotsAndCropsInChromium() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "Debian's chromium is not installed");
        Path hr = Files.createDirectories(dir.resolve("hr"));
        Image photo = ImageReading.read(Path.of("core/src/test/resources/val/astronaut-hr-crop.png"));
        ImageWriting.write(photo, hr.resolve("astronaut.png"));
        ImageWriting.write(photo.crop(0, 0, photo.width() / 2, photo.height() / 2), hr.resolve("corner.png"));
        Path out = dir.resolve("report");
        CliTest.Run r = CliTest.run("eval", "--hr", hr.toString(), "--scale", "4", "--model", model.toString(),
                "--steps", "1,2", "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.err());

        Path shot = Path.of("core/target", "screenshots", "eval-report.png").toAbsolutePath();
        Files.createDirectories(shot.getParent());
        Files.deleteIfExists(shot);
        Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + dir.resolve("chromium-profile"),
                "--window-size=1200,1600", "--screenshot=" + shot, out.resolve("index.html").toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
        assertTrue(Files.size(shot) > 0, Files.readString(dir.resolve("chromium.log")));

        BufferedImage png = ImageIO.read(shot.toFile());
        assertEquals(1200, png.getWidth());
        Set<Integer> colours = new HashSet<>();
        int plotLine = 0, tableHeader = 0;
        for (int y = 0; y < png.getHeight(); y++) {
            for (int x = 0; x < png.getWidth(); x++) {
                int rgb = png.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                if (near(rgb, 200, 60, 30)) {
                    plotLine++; // the deltadiff series of the plots
                }
                if (rgb == 0xF2F2F2) {
                    tableHeader++; // th background
                }
            }
        }
        assertTrue(colours.size() > 2000, "photo crops drawn: " + colours.size() + " colours");
        assertTrue(plotLine > 200, "plot lines drawn: " + plotLine + " px");
        assertTrue(tableHeader > 1000, "table headers drawn: " + tableHeader + " px");
    }

    private static boolean near(int rgb, int r, int g, int b) {
        return Math.abs((rgb >> 16 & 255) - r) < 12 && Math.abs((rgb >> 8 & 255) - g) < 12
                && Math.abs((rgb & 255) - b) < 12;
    }
}
