package io.shiftsr.sr;

import static org.junit.jupiter.api.Assertions.*;

import io.shiftsr.engine.Rng;
import io.shiftsr.engine.Scope;
import io.shiftsr.engine.Tensor;
import io.shiftsr.image.Image;
import io.shiftsr.image.ImageReading;
import io.shiftsr.image.ImageWriting;
import io.shiftsr.image.MatlabBicubic;
import io.shiftsr.model.SrNetwork;
import io.shiftsr.model.ModelConfig;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** --denoise: the level each choice gives, and a network told the level starting out as the one that was not. */
class DenoiseTest {
    static final Image PHOTO = ImageReading.read(Path.of("samples/astronaut-lr.png"));

    static Image asJpeg(Image img, int q) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageWriting.write(img, out, "jpg", q);
        return ImageReading.read(out.toByteArray(), "x.jpg", Long.MAX_VALUE);
    }

    @Test
    void autoReadsTheJpegQualityAndOffIsClean() {
        Image q40 = asJpeg(PHOTO, 40), q90 = asJpeg(PHOTO, 90);
        assertEquals(DegradationLevel.ofJpegQuality(40), Denoise.AUTO.read(q40).level());
        assertEquals(DegradationLevel.ofJpegQuality(90), Denoise.AUTO.read(q90).level());
        assertTrue(Denoise.AUTO.read(q40).level() > Denoise.AUTO.read(q90).level());
        assertEquals(0f, Denoise.OFF.read(q40).level());
        assertEquals(Denoise.HIGH.read(PHOTO).level(), DegradationLevel.ofJpegQuality(40));
        assertTrue(Denoise.LOW.read(PHOTO).level() < Denoise.MEDIUM.read(PHOTO).level());
        assertTrue(Denoise.MEDIUM.read(PHOTO).level() < Denoise.HIGH.read(PHOTO).level());
    }

    @Test
    void aLossyWebpGetsTheLossyDefaultAndALosslessWebpIsClean() {
        Image lossy = ImageReading.read(io.shiftsr.image.WebpEncoding.encode(PHOTO, 90, false), "x.webp", Long.MAX_VALUE);
        Image lossless = ImageReading.read(io.shiftsr.image.WebpEncoding.encode(PHOTO, 75, true), "x.webp", Long.MAX_VALUE);
        assertEquals(DegradationLevel.LOSSY_DEFAULT, Denoise.AUTO.read(lossy).level());
        assertEquals(0f, Denoise.AUTO.read(lossless).level(), "lossless WebP of a clean image");
    }

    @Test
    void aLosslessCleanImageIsCleanAndAHeavyJpegDecodedToPixelsIsNot() {
        // The bundled sample is a lossless PNG of a bicubic shrink: auto must treat it as clean.
        assertEquals(0f, Denoise.AUTO.read(PHOTO).level());
        // The same pixels after a JPEG of quality 20, handed over as decoded pixels (no file to read the
        // quality from): the 8x8 block edges give it away.
        Image blocky = asJpeg(MatlabBicubic.resize(PHOTO, 2.0), 20);
        Image decoded = Image.of(blocky.width(), blocky.height(), blocky.plane(0), blocky.plane(1), blocky.plane(2));
        assertTrue(DegradationLevel.blockiness(decoded) > DegradationLevel.BLOCKY, "" + DegradationLevel.blockiness(decoded));
        assertTrue(Denoise.AUTO.read(decoded).level() > 0);
        assertTrue(DegradationLevel.blockiness(PHOTO) < DegradationLevel.BLOCKY, "" + DegradationLevel.blockiness(PHOTO));
    }

    @Test
    void decodedPixelsGetTheLevelOfTheQualityTheyShow() {
        // A JPEG of quality 50 or 90 re-saved losslessly (or handed to the API as pixels): the lattice of its DCs
        // gives the quality (within the 1-3 qualities that share a DC step), not the one blind level of before.
        for (int q : new int[] {50, 90}) {
            Image j = asJpeg(PHOTO, q);
            Image pixels = Image.of(j.width(), j.height(), j.plane(0), j.plane(1), j.plane(2));
            assertEquals(DegradationLevel.ofJpegQuality(q), Denoise.AUTO.read(pixels).level(), 2 / 70f, "quality " + q);
        }
        // A JPEG of quality 50 saved again at 95: the file says 95, its pixels still show 50's lattice.
        Image resaved = asJpeg(asJpeg(PHOTO, 50), 95);
        assertEquals(95, resaved.metadata().compression().jpegQuality());
        assertEquals(DegradationLevel.ofJpegQuality(50), Denoise.AUTO.read(resaved).level(), 2 / 70f);
        // Saved once, the file's own quality stands (its pixels agree within the margin).
        assertEquals(DegradationLevel.ofJpegQuality(70), Denoise.AUTO.read(asJpeg(PHOTO, 70)).level());
    }

    @Test
    void theReadingSaysWhereItsQualityCameFrom() {
        Image q40 = asJpeg(PHOTO, 40);
        assertEquals(new DegradationLevel.Reading(DegradationLevel.ofJpegQuality(40), 40,
                DegradationLevel.Source.JPEG_FILE), Denoise.AUTO.read(q40));
        assertEquals("JPEG quality 40, read from the file", Denoise.AUTO.read(q40).describe());
        Image pixels = Image.of(q40.width(), q40.height(), q40.plane(0), q40.plane(1), q40.plane(2));
        DegradationLevel.Reading fromPixels = Denoise.AUTO.read(pixels);
        assertEquals(DegradationLevel.Source.JPEG_PIXELS, fromPixels.source());
        assertEquals(40, fromPixels.quality(), 3);
        assertEquals(DegradationLevel.Source.JPEG_RESAVED, Denoise.AUTO.read(asJpeg(q40, 95)).source());
        Image webp = ImageReading.read(io.shiftsr.image.WebpEncoding.encode(PHOTO, 90, false), "x.webp", Long.MAX_VALUE);
        assertEquals(new DegradationLevel.Reading(DegradationLevel.LOSSY_DEFAULT, 75, DegradationLevel.Source.WEBP),
                Denoise.AUTO.read(webp));
        assertEquals(new DegradationLevel.Reading(0f, 0, DegradationLevel.Source.CLEAN), Denoise.AUTO.read(PHOTO));
        // A choice is said to be one, whatever the file: off on a JPEG is clean, high on a clean PNG is q 40.
        assertEquals(new DegradationLevel.Reading(0f, 0, DegradationLevel.Source.CHOSEN), Denoise.OFF.read(q40));
        assertEquals(new DegradationLevel.Reading(DegradationLevel.ofJpegQuality(40), 40,
                DegradationLevel.Source.CHOSEN), Denoise.HIGH.read(PHOTO));
        assertEquals("jpeg-resaved", DegradationLevel.Source.JPEG_RESAVED.label());
    }

    @Test
    void choicesParseAndBadOnesNameTheChoices() {
        assertEquals(Denoise.OFF, Denoise.parse("off"));
        assertEquals(Denoise.HIGH, Denoise.parse("HIGH"));
        var e = assertThrows(IllegalArgumentException.class, () -> Denoise.parse("max"));
        assertTrue(e.getMessage().contains("auto, off, low, medium or high"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DegradationLevel.check(1.5));
        assertThrows(IllegalArgumentException.class, () -> DegradationLevel.check(Double.NaN));
    }

    @Test
    void theDegradationEmbeddingStartsAtZeroSoAFineTuneBeginsAsTheCleanModel() {
        ModelConfig clean = new ModelConfig(48, 16, new int[] {1}, new int[] {2}, new int[] {}, 32, true, false, false, true);
        ModelConfig aware = new ModelConfig(48, 16, new int[] {1}, new int[] {2}, new int[] {}, 32, true, false, false,
                true, true);
        try (Scope s = Scope.open()) {
            SrNetwork a = new SrNetwork(clean, 7);
            SrNetwork b = new SrNetwork(aware, 7);
            var fresh = io.shiftsr.nn.StateDict.loadAllowingMissing(b.namedParameters(),
                    toArrays(a.stateDict()), "test");
            assertEquals(java.util.List.of("time.degradation_fc.weight", "time.degradation_fc.bias"), fresh);
            Rng rng = new Rng(3);
            Tensor x = rng.randn(2, 48, 8, 8), c = rng.randn(2, 48, 8, 8);
            float[] t = {1f, 0.5f}, scale = {4f, 2f};
            float[] want = a.forward(x, c, t, scale).toFloatArray();
            for (float level : new float[] {0f, 0.4f, 1f}) {
                float[] got = b.forward(x, c, t, scale, new float[] {level, level}).toFloatArray();
                assertArrayEquals(want, got, 1e-6f, "level " + level);
            }
            // Once the embedding (and the blocks' zero-initialised time modulation) have weights, the level
            // changes the output.
            try (io.shiftsr.engine.Engine.GradGuard g = io.shiftsr.engine.Engine.gradDisabled()) {
                b.namedParameters().values().forEach(p -> p.addInPlace(0.01));
            }
            float[] l0 = b.forward(x, c, t, scale, new float[] {0f, 0f}).toFloatArray();
            float[] l1 = b.forward(x, c, t, scale, new float[] {1f, 1f}).toFloatArray();
            assertFalse(java.util.Arrays.equals(l0, l1));
        }
    }

    private static java.util.Map<String, float[]> toArrays(java.util.Map<String, Tensor> sd) {
        java.util.Map<String, float[]> m = new java.util.LinkedHashMap<>();
        sd.forEach((k, v) -> m.put(k, v.toFloatArray()));
        return m;
    }
}
