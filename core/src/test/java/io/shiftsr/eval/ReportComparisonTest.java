package io.shiftsr.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image-by-image comparison of two reports: what is paired, what is counted, what is refused and why. */
class ReportComparisonTest {
    @TempDir
    Path dir;

    private static Map<String, Map<String, Double>> set(double... bicubicThenModel) {
        return Map.of("bicubic", Map.of("a", bicubicThenModel[0], "b", bicubicThenModel[1], "c", bicubicThenModel[2]),
                "deltadiff-1", Map.of("a", bicubicThenModel[3], "b", bicubicThenModel[4], "c", bicubicThenModel[5]));
    }

    @Test
    void countsImagesAheadAndBehindAndTheMeanAndMedianOfTheDifferences() {
        var before = Map.of("s", set(20, 21, 22, 25.0, 26.0, 27.0));
        var now = Map.of("s", set(20, 21, 22, 25.3, 25.9, 27.0));
        ReportComparison.Result r = ReportComparison.compare(now, before, "old");
        assertEquals(1, r.rows().size());
        ReportComparison.Row row = r.rows().get(0);
        assertEquals(3, row.images());
        assertEquals((0.3 - 0.1 + 0.0) / 3, row.meanDelta(), 1e-12);
        assertEquals(0.0, row.medianDelta(), 1e-12);
        assertEquals(1, row.ahead());
        assertEquals(1, row.behind()); // the level image is neither
        assertEquals(-0.1, row.worst(), 1e-12);
        assertEquals(0.3, row.best(), 1e-12);
        assertTrue(r.notes().isEmpty(), r.notes().toString());
        String md = ReportComparison.markdown(r);
        assertTrue(md.contains("| s | deltadiff-1 | 3 | +0.0667 | +0.0000 | 1 | 1 | -0.1000 | +0.3000 |"), md);
        assertTrue(md.contains("ahead on 1, behind on 1 of 3 image scores"), md);
    }

    @Test
    void setsWhoseBicubicDiffersOrThatAreMissingAreNotComparedAndSaySo() {
        var before = Map.of("s", set(20, 21, 22, 25, 26, 27), "t", set(20, 21, 22, 25, 26, 27));
        var now = Map.of("s", set(20, 21.01, 22, 25, 26, 27), "u", set(20, 21, 22, 25, 26, 27));
        ReportComparison.Result r = ReportComparison.compare(new java.util.TreeMap<>(now), before, "old");
        assertTrue(r.rows().isEmpty(), r.rows().toString());
        assertEquals(List.of("s: bicubic scores 1 of 3 images differently, so the sets are not the same images; not"
                + " compared", "u: not in the earlier report"), r.notes());
    }

    @Test
    void readsOnlyTheScoresOfAReportAndRefusesOtherJson() throws Exception {
        Path report = Files.writeString(dir.resolve("report.json"), """
                {"model": "m", "future": {"any": 1}, "sets": [{"set": "s", "images": ["a"], "scores": [
                  {"image": "a", "setting": "bicubic", "psnrY": 20.5, "ssimY": 0.5},
                  {"image": "a", "setting": "deltadiff-1", "psnrY": 21.25}]}]}""");
        var t = ReportComparison.read(dir); // the folder serves as well as the file
        assertEquals(Map.of("s", Map.of("bicubic", Map.of("a", 20.5), "deltadiff-1", Map.of("a", 21.25))), t);
        assertEquals(t, ReportComparison.read(report));
        for (String bad : List.of("[]", "{\"sets\": 3}", "{\"sets\": [{\"set\": \"s\"}]}",
                "{\"sets\": [{\"set\": \"s\", \"scores\": [{\"image\": \"a\", \"setting\": \"x\", \"psnrY\": \"high\"}]}]}")) {
            Files.writeString(report, bad);
            Exception e = assertThrows(java.io.IOException.class, () -> ReportComparison.read(report), bad);
            assertTrue(e.getMessage().startsWith("not a report of shiftsr eval"), e.getMessage());
        }
    }
}
