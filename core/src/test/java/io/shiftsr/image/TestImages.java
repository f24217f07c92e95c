package io.shiftsr.image;

import java.nio.file.Path;
import java.util.Random;

/** Generated test images: seeded noise on exact 8-bit levels, so a PNG round trip changes nothing. */
public final class TestImages {
    private TestImages() {}

    public static Image noise(int w, int h, int channels, boolean alpha, long seed) {
        Random r = new Random(seed);
        float[][] p = new float[channels][w * h];
        for (float[] plane : p) {
            for (int i = 0; i < plane.length; i++) {
                plane[i] = r.nextInt(256) / 255f;
            }
        }
        float[] a = null;
        if (alpha) {
            a = new float[w * h];
            for (int i = 0; i < a.length; i++) {
                a[i] = r.nextInt(256) / 255f;
            }
        }
        return Image.of(w, h, p, a, 8);
    }

    public static Image noise(int w, int h, long seed) {
        return noise(w, h, 3, false, seed);
    }

    /** Writes a noise image to {@code file} (format from the extension) and returns the path. */
    public static Path write(Path file, int w, int h, int channels, boolean alpha) {
        ImageWriting.write(noise(w, h, channels, alpha, file.getFileName().toString().hashCode()), file);
        return file;
    }
}
