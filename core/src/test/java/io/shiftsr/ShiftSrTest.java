package io.shiftsr;

import static org.junit.jupiter.api.Assertions.*;

import io.shiftsr.image.Image;
import io.shiftsr.image.ImageReading;
import io.shiftsr.image.ImageWriting;
import io.shiftsr.image.MetadataFixtures;
import io.shiftsr.image.ImageMetadata;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public facade with the bundled model from the classpath: what a Java developer calls. */
class ShiftSrTest {
    static ShiftSr sr;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        sr = ShiftSr.load();
    }

    @AfterAll
    static void close() {
        sr.close();
    }

    @Test
    void theBundledModelComesFromTheClasspath() {
        assertEquals(1, sr.steps());
        assertEquals(1, sr.ensemble(), "the bundled file's default: one plain network call");
        assertEquals(2, sr.with(ShiftSr.Settings.DEFAULT.withEnsemble(2)).ensemble());
        assertTrue(sr.model().trainedScales().contains(1.5) && sr.model().trainedScales().contains(4));
    }

    @Test
    void bufferedImagesKeepAlphaGrayAndSixteenBits() {
        BufferedImage argb = new BufferedImage(20, 16, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 20; x++) {
                argb.setRGB(x, y, (x < 10 ? 0xFF : 0x40) << 24 | (x * 12) << 16 | (y * 15) << 8 | 90);
            }
        }
        BufferedImage up = sr.upscale(argb, 2);
        assertEquals(40, up.getWidth());
        assertTrue(up.getColorModel().hasAlpha());
        assertEquals(0xFF, up.getRGB(4, 10) >>> 24);
        assertEquals(0x40, up.getRGB(36, 10) >>> 24, 2);

        BufferedImage gray16 = new BufferedImage(16, 16, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                gray16.getRaster().setSample(x, y, 0, x * 4000 + y);
            }
        }
        BufferedImage g = sr.upscale(gray16, 1.5);
        assertEquals(24, g.getWidth());
        assertEquals(1, g.getColorModel().getNumComponents());
        assertEquals(16, g.getColorModel().getComponentSize(0));
    }

    @Test
    void bytesInBytesOutCarryTheProfile() throws Exception {
        Image img = ImageReading.read(Path.of("samples/astronaut-lr.png")).crop(0, 0, 32, 32)
                .withMetadata(new ImageMetadata(MetadataFixtures.linearRgbProfile(), null, null));
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageWriting.write(img, png, "png", 95);
        byte[] out = sr.upscale(png.toByteArray(), 4, "jpg");
        Image back = ImageReading.read(out, "result", 1 << 20);
        assertEquals(128, back.width());
        assertArrayEquals(MetadataFixtures.linearRgbProfile(), back.metadata().iccProfile());
    }

    @Test
    void filesAreUpscaledInTheFormatTheirNameSays() throws Exception {
        Path out = dir.resolve("a.tiff");
        sr.upscale(Path.of("samples/astronaut-lr.png"), out, 2);
        assertEquals(256, ImageReading.read(out).width());
    }

    @Test
    void anUpscaleSaysWhatTheModelWasToldAndACropCanBeToldThePhotos() throws Exception {
        Path jpeg = dir.resolve("photo.jpg");
        ImageWriting.write(ImageReading.read(Path.of("samples/astronaut-lr.png")), jpeg, 30, false);
        io.shiftsr.sr.DegradationLevel.Reading told = sr.upscale(jpeg, dir.resolve("photo.png"), 2);
        assertEquals(io.shiftsr.sr.DegradationLevel.Source.JPEG_FILE, told.source());
        assertEquals(30, told.quality());
        // A crop of the photo told the photo's reading runs as the photo does; told clean, as --denoise off does.
        Image photo = ImageReading.read(jpeg);
        Image crop = Image.of(48, 48, java.util.stream.IntStream.range(0, 3).mapToObj(c -> {
            float[] p = new float[48 * 48];
            for (int y = 0; y < 48; y++) {
                System.arraycopy(photo.plane(c), (y + 40) * photo.width() + 40, p, y * 48, 48);
            }
            return p;
        }).toArray(float[][]::new));
        Image asPhoto = sr.upscale(crop, 2, told, null);
        Image asClean = sr.upscale(crop, 2, null);
        ShiftSr off = sr.with(sr.settings().withDenoise(io.shiftsr.sr.Denoise.OFF));
        assertArrayEquals(asClean.plane(1), off.upscale(crop, 2).plane(1));
        assertFalse(java.util.Arrays.equals(asPhoto.plane(1), asClean.plane(1)), "told q30, the real-photo network ran");
        ShiftSr high = sr.with(sr.settings().withDenoise(io.shiftsr.sr.Denoise.HIGH));
        assertEquals(io.shiftsr.sr.DegradationLevel.Source.CHOSEN, high.denoiseReading(crop).source());
    }

    @Test
    void refusalsAreClear() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sr.upscale(Image.rgb(8, 8), 5));
        assertTrue(e.getMessage().contains("at most 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> sr.with(ShiftSr.Settings.DEFAULT.withSteps(sr.model().schedule().steps() + 1)));
        // 0 is the model's default; a negative count was taken as 0 too, and is refused now
        e = assertThrows(IllegalArgumentException.class, () -> sr.with(ShiftSr.Settings.DEFAULT.withEnsemble(-1)));
        assertTrue(e.getMessage().contains("ensemble must be 1, 2, 4 or 8"), e.getMessage());
        ShiftSr mine = ShiftSr.classic("bicubic");
        // Issue 31: an output under 1 pixel is refused in one line (1e-9 threw NegativeArraySizeException).
        e = assertThrows(IllegalArgumentException.class, () -> mine.upscale(Image.rgb(64, 48), 1e-9));
        assertEquals("scale 1.0E-9 makes less than 1 output pixel of a 64x48 image", e.getMessage());
        assertEquals(1, mine.upscale(Image.rgb(64, 48), 1.0 / 48).height());
        mine.close();
        assertThrows(IllegalStateException.class, () -> mine.upscale(Image.rgb(8, 8), 2));
    }

    /** The README's Java example, verbatim: it must compile here and run. */
    @Test
    void readmeExampleRuns() throws Exception {
        Path photo = Path.of("samples/astronaut-lr.png");
        Path out = dir.resolve("astronaut-x4.png");
        // README example begins
        try (ShiftSr sr = ShiftSr.load()) {                 // the bundled model, from the jar
            BufferedImage big = sr.upscale(ImageIO.read(photo.toFile()), 4);
            ImageIO.write(big, "png", out.toFile());
        }
        // README example ends
        assertEquals(512, ImageIO.read(out.toFile()).getWidth());
        String source = Files.readString(Path.of("core/src/test/java/io/shiftsr/ShiftSrTest.java"));
        Matcher m = Pattern.compile("// README example begins\\n(.*?)\\n\\s*// README example ends", Pattern.DOTALL)
                .matcher(source);
        assertTrue(m.find());
        String readme = Files.readString(Path.of("README.md"));
        for (String line : m.group(1).split("\\n")) {
            assertTrue(readme.contains(line.strip()), "README lacks the tested line: " + line.strip());
        }
    }
}
