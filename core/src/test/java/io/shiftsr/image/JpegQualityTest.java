package io.shiftsr.image;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The IJG quality read back from a JPEG's own tables, carried by the reader, and seen in decoded pixels. */
class JpegQualityTest {
    static final Image PHOTO = ImageReading.read(Path.of("samples/astronaut-lr.png"));

    static byte[] jpeg(Image img, int q) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageWriting.write(img, out, "jpg", q);
        return out.toByteArray();
    }

    @Test
    void everyQualityOfLibjpegsTablesIsReadBackExactly() {
        for (int q = 1; q <= 100; q++) {
            // Below about 8 several qualities clip to the same all-255 tables; the estimate is the highest of those.
            int est = JpegQuality.estimate(jpeg(PHOTO, q));
            if (q >= 8) {
                assertEquals(q, est, "quality " + q);
            } else {
                assertTrue(est >= q && est < 8, q + " -> " + est);
            }
        }
    }

    @Test
    void theReaderCarriesTheQualityAndLossiness() {
        Image j = ImageReading.read(jpeg(PHOTO, 63), "a.jpg", Long.MAX_VALUE);
        assertEquals(new ImageMetadata.Compression(true, 63), j.metadata().compression());
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageWriting.write(PHOTO, png, "png", 95);
        Image p = ImageReading.read(png.toByteArray(), "a.png", Long.MAX_VALUE);
        assertEquals(ImageMetadata.Compression.NONE, p.metadata().compression());
        // Outputs describe themselves: the compression of the source is not written on.
        assertEquals(ImageMetadata.Compression.NONE, j.metadata().forOutput(10, 10, 3).compression());
    }

    @Test
    void notAJpegOrCutBeforeItsTablesGivesZero() {
        assertEquals(0, JpegQuality.estimate(new byte[0]));
        assertEquals(0, JpegQuality.estimate(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}));
        assertEquals(0, JpegQuality.estimate("not a jpeg at all".getBytes()));
        byte[] whole = jpeg(PHOTO, 80);
        assertEquals(0, JpegQuality.estimate(java.util.Arrays.copyOf(whole, 30)));
    }

    @Test
    void tablesOfOtherEncodersGetTheNearestQuality() {
        // A camera-style table: libjpeg's quality 85 with every entry one step coarser.
        int[] luma = JpegQuality.scaled(JpegQuality.LUMA, 85);
        byte[] file = new byte[2 + 4 + 1 + 64];
        file[0] = (byte) 0xFF;
        file[1] = (byte) 0xD8;
        file[2] = (byte) 0xFF;
        file[3] = (byte) 0xDB;
        file[5] = (byte) 67;
        for (int k = 0; k < 64; k++) {
            file[7 + k] = (byte) (luma[JpegQuality.ZIGZAG[k]] + 1);
        }
        int est = JpegQuality.estimate(file);
        assertTrue(est >= 80 && est < 85, "a slightly coarser table reads as slightly lower quality, got " + est);
    }

    /** The decoded pixels of a JPEG alone: no file, no metadata. */
    static Image decoded(Image img, int q) {
        Image j = ImageReading.read(jpeg(img, q), "a.jpg", Long.MAX_VALUE);
        return Image.of(j.width(), j.height(), j.plane(0), j.plane(1), j.plane(2));
    }

    @Test
    void thePixelsOfADecodedJpegShowItsQuality() {
        // The sample: 128x128, 256 blocks. The DC step of libjpeg's tables moves by one every 1-3 qualities.
        for (int q : new int[] {30, 40, 50, 60, 70, 80, 85, 90}) {
            int est = JpegQuality.fromPixels(decoded(PHOTO, q));
            assertEquals(q, est, 2.0, "quality " + q);
        }
        // The same pixels cropped off the 8-pixel grid (a crop of a decoded JPEG): another grid phase, the same find.
        Image q50 = decoded(PHOTO, 50);
        assertEquals(50, JpegQuality.fromPixels(q50.crop(3, 5, 120, 118)), 2.0);
    }

    @Test
    void pixelsThatWereNeverAJpegShowNoQuality() {
        assertEquals(0, JpegQuality.fromPixels(PHOTO), "the sample, a lossless bicubic shrink");
        assertEquals(0, JpegQuality.fromPixels(MatlabBicubic.resize(PHOTO, 2.0).quantize8()), "upscaled");
        // A decoded JPEG resized afterwards: the grid and the lattice are gone.
        assertEquals(0, JpegQuality.fromPixels(MatlabBicubic.resize(decoded(PHOTO, 40), 1.5).quantize8()));
        // Low contrast and clipped highlights crowd the blocks' DCs near a few values: no lattice for that.
        float[][] low = new float[3][], bright = new float[3][];
        for (int c = 0; c < 3; c++) {
            float[] p = PHOTO.plane(c);
            low[c] = new float[p.length];
            bright[c] = new float[p.length];
            for (int i = 0; i < p.length; i++) {
                low[c][i] = 0.45f + 0.08f * p[i];
                bright[c][i] = Math.min(1f, 0.7f + 0.6f * p[i]);
            }
        }
        int w = PHOTO.width(), h = PHOTO.height();
        assertEquals(0, JpegQuality.fromPixels(Image.of(w, h, low).quantize8()), "low contrast");
        assertEquals(0, JpegQuality.fromPixels(Image.of(w, h, bright).quantize8()), "clipped highlights");
        // Below 64 blocks a lattice would turn up by chance: no answer.
        assertEquals(0, JpegQuality.fromPixels(decoded(PHOTO, 30).crop(0, 0, 56, 64)));
    }

    @Test
    void theDcStepMapsToTheMiddleQualityOfThoseWithIt() {
        assertEquals(50, JpegQuality.qualityOfDcStep(16)); // 49, 50 and 51 have step 16
        assertEquals(91, JpegQuality.qualityOfDcStep(3)); // 90-92
        for (int q = 30; q <= 95; q++) {
            int step = JpegQuality.scaled(JpegQuality.LUMA, q)[0];
            assertEquals(step, JpegQuality.scaled(JpegQuality.LUMA, JpegQuality.qualityOfDcStep(step))[0], "q " + q);
        }
    }
}
