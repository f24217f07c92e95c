package io.shiftsr.engine;

import static org.junit.jupiter.api.Assertions.*;

import io.shiftsr.image.Image;
import io.shiftsr.image.ImageWriting;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bicubic upscale needs no network, so it must not load libtorch (1.5-2 s and its memory at start): the call
 * gate of a classic method once asked the engine how many calls may run, which loaded it. Checked in a fresh JVM,
 * through the command line, by the classes it loaded.
 */
class BicubicWithoutLibtorchTest {
    @Test
    void upscaleMethodBicubicLoadsNoNativeEngine(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in.png");
        float[] p = new float[24 * 16];
        for (int i = 0; i < p.length; i++) {
            p[i] = (i % 7) / 7f;
        }
        ImageWriting.write(Image.of(24, 16, p, p.clone(), p.clone()), in);
        String out = ChildJvm.run(dir.resolve("child.log"), Probe.class, env -> {}, "-Xlog:class+load=info",
                "-Djava.awt.headless=true", "-Dshiftsr.test.in=" + in, "-Dshiftsr.test.out=" + dir.resolve("out"));
        assertTrue(out.contains("exit 0"), out.lines().filter(l -> !l.contains("class,load")).toList().toString());
        assertTrue(Files.isRegularFile(dir.resolve("out/in.png")), "no output written");
        assertTrue(out.contains("io.shiftsr.upscale.BicubicUpscaler"), "the probe did not log class loading");
        assertFalse(out.contains("org.bytedeco.pytorch"), "libtorch's classes were loaded for a bicubic upscale");
        assertFalse(out.contains(" io.shiftsr.engine.Engine "), "the engine was loaded for a bicubic upscale");
    }

    public static final class Probe {
        public static void main(String[] args) {
            int code = io.shiftsr.cli.Main.commandLine().execute("upscale", "-m", "bicubic", "-q",
                    System.getProperty("shiftsr.test.in"), "--out", System.getProperty("shiftsr.test.out"));
            System.out.println("exit " + code);
        }
    }
}
