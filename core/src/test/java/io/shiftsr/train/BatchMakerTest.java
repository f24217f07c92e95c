package io.shiftsr.train;

import static org.junit.jupiter.api.Assertions.*;

import io.shiftsr.data.RealDegradation;
import io.shiftsr.image.Image;
import io.shiftsr.image.ImageWriting;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The crops a batch is made of: reproducible per step, and drawn towards detail when asked. */
class BatchMakerTest {
    @TempDir
    Path dir;

    /** A 256x64 photo whose left half is flat gray and right half random texture. */
    PhotoLibrary halfFlat() {
        float[][] planes = new float[3][256 * 64];
        SplittableRandom r = new SplittableRandom(7);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 256; x++) {
                float v = x < 128 ? 0.5f : r.nextInt(256) / 255f;
                for (float[] p : planes) {
                    p[y * 256 + x] = v;
                }
            }
        }
        ImageWriting.write(Image.of(256, 64, planes), dir.resolve("half.png"));
        return new PhotoLibrary(dir, 1, 1 << 20, m -> fail(m));
    }

    TrainConfig.Data data(int candidates) {
        return TrainConfig.load(Path.of("configs/tiny.yaml"), List.of("data.crop=64", "data.batch=4",
                "data.scaleMin=2", "data.scaleMax=2", "data.cropCandidates=" + candidates)).data();
    }

    /** Mean squared step between horizontal neighbours over the HR crops of a batch. */
    static double detail(TrainingBatch b) {
        float[] hr = b.hr();
        int p = b.crop();
        double sum = 0;
        for (int i = 0; i + 1 < hr.length; i++) {
            if ((i + 1) % p != 0) {
                sum += (hr[i + 1] - hr[i]) * (hr[i + 1] - hr[i]);
            }
        }
        return sum / hr.length;
    }

    @Test
    void theSameStepMakesTheSameBatch() {
        PhotoLibrary photos = halfFlat();
        for (int k : new int[] {1, 3}) {
            try (BatchMaker a = new BatchMaker(photos, data(k), 5, RealDegradation.Settings.off());
                    BatchMaker b = new BatchMaker(photos, data(k), 5, RealDegradation.Settings.off())) {
                assertArrayEquals(a.make(12).hr(), b.make(12).hr());
                assertArrayEquals(a.make(12).y0(), b.make(12).y0());
                assertFalse(java.util.Arrays.equals(a.make(12).hr(), a.make(13).hr()), "another step, other crops");
            }
        }
    }

    @Test
    void moreCandidatesDrawMoreDetailedCrops() {
        PhotoLibrary photos = halfFlat();
        double uniform = 0, picked = 0;
        try (BatchMaker one = new BatchMaker(photos, data(1), 5, RealDegradation.Settings.off());
                BatchMaker four = new BatchMaker(photos, data(4), 5, RealDegradation.Settings.off())) {
            for (int step = 0; step < 25; step++) {
                uniform += detail(one.make(step));
                picked += detail(four.make(step));
            }
        }
        // Uniform crops hold half texture on average; the most detailed of four mostly texture.
        assertTrue(picked > 1.4 * uniform, "picked " + picked + ", uniform " + uniform);
    }

    @Test
    void detailIsTheSumOfSquaredLumaSteps() {
        // 4x4, left two columns gray 10, right two gray 11: one step of 256 (luma x256) in each of the 4 rows.
        byte[] plane = new byte[16];
        for (int i = 0; i < 16; i++) {
            plane[i] = (byte) (i % 4 < 2 ? 10 : 11);
        }
        var photo = new PhotoLibrary.Photo(4, 4, new byte[][] {plane, plane, plane});
        assertEquals(4L * 256 * 256, BatchMaker.detail(photo, 0, 0, 4));
        assertEquals(0L, BatchMaker.detail(photo, 0, 0, 2), "inside the flat left half");
        assertEquals(2L * 256 * 256, BatchMaker.detail(photo, 1, 0, 2), "two rows across the step");
    }

    @Test
    void cropCandidatesOutsideTheirRangeAreRefused() {
        for (String v : new String[] {"0", "65"}) {
            var e = assertThrows(TrainConfig.ConfigException.class,
                    () -> TrainConfig.load(Path.of("configs/tiny.yaml"), List.of("data.cropCandidates=" + v)));
            assertTrue(e.getMessage().contains("data.cropCandidates must be 1 to 64"), e.getMessage());
        }
    }
}
