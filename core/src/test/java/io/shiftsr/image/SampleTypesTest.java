package io.shiftsr.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 32- and 64-bit samples (issue 31): the scale 1 / (2^bits - 1) overflowed at 32 and 64 bits, so float, double
 * and int32 images came out all black.
 */
class SampleTypesTest {
    private static final int N = 64;

    @TempDir
    Path dir;

    /** An N x N image of {@code dataType} samples, value (x + y) / (2N - 2) in every band, {@code bits} per sample. */
    private static BufferedImage ramp(int colorSpace, int dataType, int bits) {
        ColorSpace cs = ColorSpace.getInstance(colorSpace);
        int[] sizes = new int[cs.getNumComponents()];
        java.util.Arrays.fill(sizes, bits);
        ComponentColorModel cm = new ComponentColorModel(cs, sizes, false, false, Transparency.OPAQUE, dataType);
        WritableRaster r = cm.createCompatibleWritableRaster(N, N);
        for (int y = 0; y < N; y++) {
            for (int x = 0; x < N; x++) {
                double v = (x + y) / (2.0 * N - 2);
                for (int b = 0; b < sizes.length; b++) {
                    if (dataType == DataBuffer.TYPE_INT) {
                        r.setSample(x, y, b, (int) Math.round(v * 0xFFFF_FFFFL)); // unsigned, stored in an int
                    } else {
                        r.setSample(x, y, b, v);
                    }
                }
            }
        }
        return new BufferedImage(cm, r, false, null);
    }

    private static void assertRamp(Image img, int channels) {
        assertRamp(img, channels, "");
    }

    private static void assertRamp(Image img, int channels, String what) {
        assertEquals(N, img.width());
        assertEquals(channels, img.channels());
        for (int c = 0; c < channels; c++) {
            float[] p = img.plane(c);
            for (int y = 0; y < N; y++) {
                for (int x = 0; x < N; x++) {
                    assertEquals((x + y) / (2.0 * N - 2), p[y * N + x], 1e-6, what + "band " + c + " at " + x + "," + y);
                }
            }
        }
    }

    @Test
    void floatDoubleAndInt32ImagesKeepTheirValues() {
        for (int cs : new int[] {ColorSpace.CS_sRGB, ColorSpace.CS_GRAY}) {
            int channels = cs == ColorSpace.CS_GRAY ? 1 : 3;
            assertRamp(ImageReading.fromBuffered(ramp(cs, DataBuffer.TYPE_FLOAT, 32)), channels);
            assertRamp(ImageReading.fromBuffered(ramp(cs, DataBuffer.TYPE_DOUBLE, 64)), channels);
            assertRamp(ImageReading.fromBuffered(ramp(cs, DataBuffer.TYPE_INT, 32)), channels);
        }
    }

    @Test
    void floatSamplesOutsideZeroToOneAreClampedAndNaNIsRefused() {
        for (int type : new int[] {DataBuffer.TYPE_FLOAT, DataBuffer.TYPE_DOUBLE}) {
            BufferedImage bi = ramp(ColorSpace.CS_GRAY, type, type == DataBuffer.TYPE_FLOAT ? 32 : 64);
            bi.getRaster().setSample(0, 0, 0, -0.5);
            bi.getRaster().setSample(1, 0, 0, 7.0);
            bi.getRaster().setSample(2, 0, 0, Double.POSITIVE_INFINITY);
            float[] g = ImageReading.fromBuffered(bi).plane(0);
            assertEquals(0f, g[0]);
            assertEquals(1f, g[1]);
            assertEquals(1f, g[2]);
            bi.getRaster().setSample(5, 3, 0, Double.NaN);
            ImageException e = assertThrows(ImageException.class, () -> ImageReading.fromBuffered(bi));
            assertTrue(e.getMessage().contains("NaN"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void floatAndDoubleTiffsAreNotBlack() throws Exception {
        // Not int32: the JDK's writer marks it signed (SampleFormat 2), while Java2D and this reader take it unsigned.
        for (int type : new int[] {DataBuffer.TYPE_FLOAT, DataBuffer.TYPE_DOUBLE}) {
            for (int cs : new int[] {ColorSpace.CS_sRGB, ColorSpace.CS_GRAY}) {
                Path f = dir.resolve("t" + type + "-" + cs + ".tif");
                BufferedImage bi = ramp(cs, type, type == DataBuffer.TYPE_DOUBLE ? 64 : 32);
                // Read back as written: a 64-bit float RGB TIFF, which the JDK's reader hands over in a placeholder
                // colour space, must keep its full precision like the others.
                assertTrue(ImageIO.write(bi, "tiff", f.toFile()), "the JDK writes this TIFF");
                assertRamp(ImageReading.read(f), cs == ColorSpace.CS_GRAY ? 1 : 3, f.getFileName() + ": ");
            }
        }
        BufferedImage nan = ramp(ColorSpace.CS_sRGB, DataBuffer.TYPE_FLOAT, 32);
        nan.getRaster().setSample(9, 9, 1, Float.NaN);
        Path f = dir.resolve("nan.tif");
        assertTrue(ImageIO.write(nan, "tiff", f.toFile()));
        ImageException e = assertThrows(ImageException.class, () -> ImageReading.read(f));
        assertTrue(e.getMessage().startsWith(f + ": ") && e.getMessage().contains("NaN"), e.getMessage());
    }
}
