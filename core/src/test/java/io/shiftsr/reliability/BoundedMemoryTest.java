package io.shiftsr.reliability;

import static org.junit.jupiter.api.Assertions.*;

import io.shiftsr.image.TestImages;
import io.shiftsr.inference.DiffusionUpscalerTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 24-MP output (1500x1000 at x4) in a JVM capped at 384 MB: the whole-image path alone would hold y0, the
 * blend sums and the output as floats (over 1 GB), so this passes only because the output is streamed band by
 * band into the PNG (docs/RELIABILITY.md). A small random model keeps it fast; memory is about the image.
 */
class BoundedMemoryTest {
    @TempDir
    Path dir;

    @Test
    void theThreadsFlagSetsTheComputeThreads() throws Exception {
        for (String n : new String[] {"1", "2"}) {
            Path log = dir.resolve("info-" + n + ".log");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "io.shiftsr.cli.Main", "info", "--threads", n)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), Files.readString(log));
            assertTrue(Files.readString(log).contains("threads:      " + n), Files.readString(log));
        }
    }

    @Test
    void aLargeUpscaleStreamsWithinASmallHeap() throws Exception {
        Path model = dir.resolve("tiny.safetensors");
        DiffusionUpscalerTest.saveTinyModel(model);
        Path in = TestImages.write(dir.resolve("photo.png"), 1500, 1000, 3, false);
        Path log = dir.resolve("child.log");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), "io.shiftsr.cli.Main",
                "upscale", in.toString(), "--out", dir.resolve("out").toString(), "--model", model.toString(),
                "--steps", "1", "--max-memory", "16", "--threads", "2", "-q");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "took over 5 minutes");
        assertEquals(0, p.exitValue(), Files.readString(log));
        try (ImageInputStream s = ImageIO.createImageInputStream(dir.resolve("out/photo.png").toFile())) {
            ImageReader r = ImageIO.getImageReaders(s).next();
            r.setInput(s);
            assertEquals(6000, r.getWidth(0));
            assertEquals(4000, r.getHeight(0));
        }
    }
}
