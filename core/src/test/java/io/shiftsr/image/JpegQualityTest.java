package io.shiftsr.image;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The IJG quality read back from a JPEG's own tables, and carried by the reader. */
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
}
