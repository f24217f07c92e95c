package io.shiftsr.spark;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on local[2] with the bundled model: a small tree of images and one corrupt file. Outputs must equal
 * `shiftsr upscale` at the same settings pixel for pixel, the corrupt file must be an error row, and a rerun must
 * skip what is done.
 */
class UpscaleJobTest {
    static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("shiftsr-test")
                .config("spark.task.cpus", "2") // one task at a time with both cores, as the CLI's --threads 2
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static void image(Path p, int w, int h, int seed) throws Exception {
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        java.util.Random r = new java.util.Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                bi.setRGB(x, y, (x * 9 + r.nextInt(40)) << 16 | (y * 7 + r.nextInt(40)) << 8 | r.nextInt(200));
            }
        }
        Files.createDirectories(p.getParent());
        ImageIO.write(bi, p.toString().endsWith(".jpg") ? "jpeg" : "png", p.toFile());
    }

    @Test
    void upscalesATreeLikeTheCliRecordsErrorsAndSkipsFinishedOutputsOnARerun() throws Exception {
        Path in = dir.resolve("in");
        image(in.resolve("a.png"), 24, 20, 1);
        image(in.resolve("sub/b.png"), 17, 23, 2);
        image(in.resolve("sub/deeper/c.jpg"), 30, 16, 3);
        Files.writeString(in.resolve("sub/bad.png"), "not an image at all");
        Path out = dir.resolve("out");

        UpscaleJob.Summary first = UpscaleJob.parse("--input", in.toString(), "--output", out.toString(),
                "--scale", "2").run(spark);
        assertEquals(3, first.done());
        assertEquals(1, first.errors());
        Map<String, Row> rows = spark.read().parquet(first.results()).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("path").toString().replaceAll(".*/in/", ""), r -> r));
        assertEquals("error", rows.get("sub/bad.png").getAs("status"));
        assertTrue(rows.get("sub/bad.png").<String>getAs("error").contains("not a supported image"),
                rows.get("sub/bad.png").toString());
        assertEquals(48, (int) rows.get("a.png").<Integer>getAs("width"));
        // What the model was told: the JPEG's quality from its tables (ImageIO's default, 75), the PNG clean.
        assertEquals("jpeg-file", rows.get("sub/deeper/c.jpg").getAs("denoiseFrom"));
        assertEquals(75, (int) rows.get("sub/deeper/c.jpg").<Integer>getAs("denoiseQuality"));
        assertEquals("clean", rows.get("a.png").getAs("denoiseFrom"));
        assertNull(rows.get("sub/bad.png").getAs("denoiseFrom"));
        assertFalse(Files.exists(out.resolve(ImageTask.TEMP_FOLDER)), "temporary outputs left behind");

        // `shiftsr upscale` at the same settings (two threads, like the tasks here).
        Path cli = dir.resolve("cli");
        int code = io.shiftsr.cli.Main.commandLine().execute("upscale", in.toString(), "--recursive", "--scale", "2",
                "--threads", "2", "--out", cli.toString(), "-q");
        assertEquals(1, code, "the CLI fails on the one bad file only");
        for (String rel : List.of("a.png", "sub/b.png", "sub/deeper/c.png")) {
            assertPixelEqual(cli.resolve(rel), out.resolve(rel));
        }

        long before = Files.getLastModifiedTime(out.resolve("a.png")).toMillis();
        UpscaleJob.Summary again = UpscaleJob.parse("--input", in.toString(), "--output", out.toString(),
                "--scale", "2").run(spark);
        assertEquals(0, again.done());
        assertEquals(3, again.skipped());
        assertEquals(1, again.errors());
        assertEquals(before, Files.getLastModifiedTime(out.resolve("a.png")).toMillis());
    }

    @Test
    void sharedBaseNamesDanglingLinksAndAnOutputFolderInsideTheInputAreHandledAsTheCliDoes() throws Exception {
        Path in = dir.resolve("in");
        image(in.resolve("a.png"), 20, 16, 1);
        image(in.resolve("a.jpg"), 20, 16, 2);
        image(in.resolve("b.png"), 18, 14, 3);
        Files.createSymbolicLink(in.resolve("gone.png"), dir.resolve("no-such-file.png"));
        Path out = in.resolve("out");

        UpscaleJob.Summary first = UpscaleJob.parse("--input", in.toString(), "--output", out.toString(),
                "--scale", "2").run(spark);
        Map<String, Row> rows = spark.read().parquet(first.results()).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("path").toString().replaceAll(".*/in/", ""), r -> r));
        assertEquals(Set.of("a.jpg", "a.png", "b.png", "gone.png"), rows.keySet(), "one row per input: " + rows);
        assertEquals("done", rows.get("a.jpg").getAs("status"));
        assertEquals("error", rows.get("a.png").getAs("status"), "a.png and a.jpg have one output");
        assertTrue(rows.get("a.png").<String>getAs("error").contains("also the output of"), rows.get("a.png").toString());
        assertEquals("error", rows.get("gone.png").getAs("status"));
        assertTrue(rows.get("gone.png").<String>getAs("error").contains("target does not exist"),
                rows.get("gone.png").toString());
        assertEquals(2, first.done());
        assertEquals(2, first.errors());
        try (var files = Files.walk(out)) {
            List<Path> crc = files.filter(f -> f.getFileName().toString().endsWith(".crc")
                    && !f.startsWith(Path.of(first.results().replaceFirst("^file:", "")))).toList();
            assertEquals(List.of(), crc, "checksum files beside the outputs");
        }

        // A rerun must not take the outputs in in/out for inputs.
        UpscaleJob.Summary again = UpscaleJob.parse("--input", in.toString(), "--output", out.toString(),
                "--scale", "2").run(spark);
        assertEquals(0, again.done());
        assertEquals(2, again.skipped());
        assertEquals(2, again.errors());
        assertFalse(Files.exists(out.resolve("out")), "outputs were upscaled again");
    }

    @Test
    void relativePathsFollowTheLongestInputRoot() {
        JobSettings s = new JobSettings("file:/o", new String[] {"file:/data/in/sub", "file:/data/in"}, 2, null,
                "deltadiff", 0, 0, "jpg", 95, false, 1, 1, "auto", new byte[0]);
        assertEquals("file:/o/x/y.jpg", ImageTask.outputOf("file:/data/in/sub/x/y.png", s).toString());
        assertEquals("file:/o/z.jpg", ImageTask.outputOf("file:/data/in/z.webp", s).toString());
        assertEquals("file:/o/lone.jpg", ImageTask.outputOf("file:/elsewhere/lone.tif", s).toString());
    }

    private static void assertPixelEqual(Path expected, Path actual) throws Exception {
        Raster e = ImageIO.read(expected.toFile()).getData();
        Raster a = ImageIO.read(actual.toFile()).getData();
        assertEquals(e.getWidth(), a.getWidth(), actual.toString());
        assertEquals(e.getHeight(), a.getHeight(), actual.toString());
        assertArrayEquals(e.getPixels(0, 0, e.getWidth(), e.getHeight(), (int[]) null),
                a.getPixels(0, 0, a.getWidth(), a.getHeight(), (int[]) null), actual + " differs from the CLI's");
    }
}
