package io.shiftsr.dist;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution zip as a new user gets it: unpacked on a machine path that has Java and a shell but no Maven,
 * with an empty home (no ~/.m2, no native cache), it upscales the bundled sample with the bundled model.
 */
class DistributionIT {
    @TempDir
    Path dir;

    @Test
    void theZipRunsUpscaleWithOnlyJava() throws Exception {
        Path zip;
        try (Stream<Path> s = Files.list(Path.of("core/target"))) {
            zip = s.filter(p -> p.getFileName().toString().matches("shiftsr-.*\\.zip")).findFirst()
                    .orElseThrow(() -> new AssertionError("no target/shiftsr-VERSION.zip: run mvn package"));
        }
        Path root = unzip(zip, dir.resolve("unpacked"));
        for (String part : List.of("shiftsr", "shiftsr.jar", "lib", "models/shiftsr.safetensors", "LICENSE")) {
            assertTrue(Files.exists(root.resolve(part)), part + " missing from the zip");
        }
        // A PATH with exactly what the launcher needs: no mvn, no build tools.
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        Files.createSymbolicLink(bin.resolve("java"), java);
        for (String tool : List.of("bash", "dirname", "mkdir", "mv", "rm")) {
            Files.createSymbolicLink(bin.resolve(tool), which(tool));
        }
        Path home = Files.createDirectories(dir.resolve("home"));
        BufferedImage first = upscale(root, bin, home, dir.resolve("out1"));
        assertEquals(512, first.getWidth());
        assertEquals(512, first.getHeight());

        // The first run left the class-data archive of this jar in the cache (where the JVM has the base archive
        // that a dynamic one extends, as "sharing" in its version says); the next run starts from it.
        Path cds = home.resolve(".cache/shiftsr/cds");
        List<String> made;
        try (Stream<Path> s = Files.list(cds)) {
            made = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        if (System.getProperty("java.vm.info", "").contains("sharing")) {
            assertEquals(1, made.size(), made.toString());
            assertTrue(made.get(0).endsWith("shiftsr.jar.jsa"), made.toString());
        } else {
            assertTrue(made.size() == 1 && made.get(0).endsWith(".jsa.failed"), made.toString());
        }
        BufferedImage second = upscale(root, bin, home, dir.resolve("out2"));
        assertArrayEquals(first.getRGB(0, 0, 512, 512, null, 0, 512), second.getRGB(0, 0, 512, 512, null, 0, 512),
                "the run with the archive upscales differently");
    }

    /** Runs the unpacked launcher on the bundled sample with only {@code bin} on the PATH; returns the output. */
    private static BufferedImage upscale(Path root, Path bin, Path home, Path out) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(bin.resolve("bash").toString(), root.resolve("shiftsr").toString(),
                "upscale", root.resolve("samples/astronaut-lr.png").toString(), "--out", out.toString(), "-q")
                .redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", bin.toString());
        pb.environment().put("HOME", home.toString());
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "timed out");
        assertEquals(0, p.exitValue(), log);
        // The class-data archive's making and use say nothing (libtorch's own warnings are not the launcher's).
        assertFalse(log.contains("shared archive") || log.contains("[cds"), log);
        return ImageIO.read(out.resolve("astronaut-lr.png").toFile());
    }

    private static Path which(String tool) {
        for (String d : System.getenv("PATH").split(":")) {
            Path p = Path.of(d, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AssertionError(tool + " not found");
    }

    /** Unpacks and returns the single top folder. */
    private static Path unzip(Path zip, Path into) throws IOException {
        Path top = null;
        try (InputStream f = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(f)) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                Path target = into.resolve(e.getName()).normalize();
                assertTrue(target.startsWith(into), "entry outside the zip's folder: " + e.getName());
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(z, target);
                }
                if (top == null) {
                    top = into.resolve(into.relativize(target).getName(0));
                }
            }
        }
        return top;
    }
}
