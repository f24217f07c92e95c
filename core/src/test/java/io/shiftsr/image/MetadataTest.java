package io.shiftsr.image;

import static org.junit.jupiter.api.Assertions.*;

import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import java.awt.color.ICC_Profile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ICC profile, EXIF and XMP from JPEG/PNG inputs into PNG/JPEG/TIFF outputs; pixels kept as stored. */
class MetadataTest {
    @TempDir
    Path dir;

    /** A smooth image: JPEG keeps it within a few levels, so value checks can be tight. */
    static Image smooth(int w, int h) {
        float[][] p = new float[3][w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                p[0][y * w + x] = 0.2f + 0.5f * x / w;
                p[1][y * w + x] = 0.3f + 0.4f * y / h;
                p[2][y * w + x] = 0.4f;
            }
        }
        return Image.of(w, h, p);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpg", "png"})
    void aWideProfileIsKeptWithTheStoredValuesNotConverted(String format) {
        Image img = smooth(32, 24);
        byte[] icc = MetadataFixtures.linearRgbProfile();
        Path f = MetadataFixtures.file(dir.resolve("in." + format), format, img, icc, null, null);
        Image read = ImageReading.read(f);
        assertArrayEquals(icc, read.metadata().iccProfile());
        // Stored 0.4 in blue: linear -> sRGB conversion would make it about 0.66.
        float blue = read.plane(2)[5 * 32 + 5];
        assertEquals(0.4f, blue, format.equals("jpg") ? 0.02f : 1e-6f, "value converted instead of kept");
    }

    @Test
    void exifOrientationIsAppliedOnceAndResetInTheOutput() throws IOException {
        Image img = smooth(32, 24); // stored sideways: orientation 6 shows it 24 wide, 32 high
        byte[] exif = MetadataFixtures.exif(6, 32, 24);
        Path in = MetadataFixtures.file(dir.resolve("cam.jpg"), "jpg", img, MetadataFixtures.srgbProfile(), exif,
                MetadataFixtures.XMP);
        Image read = ImageReading.read(in);
        assertEquals(24, read.width());
        assertEquals(32, read.height());
        assertEquals(6, read.metadata().orientation());

        Path out = dir.resolve("out.jpg");
        ImageWriting.write(read, out, 92);
        byte[] written = MetadataFixtures.bytes(out);
        byte[] outExif = MetadataFixtures.jpegSegment(written, JPEG.APP1, "Exif");
        // Parsed by TwelveMonkeys, not by the code that wrote it.
        assertEquals(1, ((Number) MetadataFixtures.exifValue(outExif, TIFF.TAG_ORIENTATION, false)).intValue());
        assertEquals(MetadataFixtures.MAKE, MetadataFixtures.exifValue(outExif, TIFF.TAG_MAKE, false).toString().trim());
        assertEquals(24L, ((Number) MetadataFixtures.exifValue(outExif, 40962, true)).longValue());
        assertEquals(32L, ((Number) MetadataFixtures.exifValue(outExif, 40963, true)).longValue());
        byte[] xmp = MetadataFixtures.jpegSegment(written, JPEG.APP1, "http://ns.adobe.com/xap/1.0/");
        assertArrayEquals(MetadataFixtures.XMP, xmp);
        // Read back: upright as is, no second turn.
        Image again = ImageReading.read(out);
        assertEquals(24, again.width());
        assertEquals(1, again.metadata().orientation());
        assertArrayEquals(MetadataFixtures.srgbProfile(), again.metadata().iccProfile());
    }

    /**
     * Issue 31 item 12: a JPEG whose EXIF and XMP both said orientation 6 got EXIF reset to 1 in the output but
     * kept XMP's tiff:Orientation 6, so XMP-aware viewers turned the upright output again.
     */
    @ParameterizedTest
    @ValueSource(strings = {"attribute", "element"})
    void xmpOrientationIsResetInTheOutput(String form) throws IOException {
        String prop = form.equals("attribute") ? "<rdf:Description xmlns:tiff=\"http://ns.adobe.com/tiff/1.0/\""
                + " tiff:Orientation=\"6\"/>"
                : "<rdf:Description xmlns:tiff=\"http://ns.adobe.com/tiff/1.0/\"><tiff:Orientation>6</tiff:Orientation>"
                + "</rdf:Description>";
        String packet = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-"
                + "syntax-ns#\">" + prop + "</rdf:RDF></x:xmpmeta>";
        byte[] xmp = packet.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Path in = MetadataFixtures.file(dir.resolve("cam.jpg"), "jpg", smooth(32, 24), null,
                MetadataFixtures.exif(6, 32, 24), xmp);
        Image read = ImageReading.read(in);
        assertEquals(24, read.width());
        Path out = dir.resolve("out.jpg");
        ImageWriting.write(read, out, 92);
        byte[] written = MetadataFixtures.bytes(out);
        String outXmp = new String(MetadataFixtures.jpegSegment(written, JPEG.APP1, "http://ns.adobe.com/xap/1.0/"),
                java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(packet.replace("Orientation=\"6\"", "Orientation=\"1\"").replace(">6<", ">1<"), outXmp);
        byte[] outExif = MetadataFixtures.jpegSegment(written, JPEG.APP1, "Exif");
        assertEquals(1, ((Number) MetadataFixtures.exifValue(outExif, TIFF.TAG_ORIENTATION, false)).intValue());
    }

    /** Issue 31 item 12: a TIFF's Orientation tag was not applied, and the output (without the tag) lay sideways. */
    @Test
    void aTiffsOrientationIsApplied() throws IOException {
        Image img = smooth(32, 24); // stored sideways: orientation 6 shows it 24 wide, 32 high
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        try (javax.imageio.stream.ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            java.awt.image.BufferedImage bi = ImageWriting.toBuffered(img, false, false);
            javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
            javax.imageio.plugins.tiff.TIFFDirectory d = javax.imageio.plugins.tiff.TIFFDirectory.createFromMetadata(
                    writer.getDefaultImageMetadata(javax.imageio.ImageTypeSpecifier.createFromRenderedImage(bi), param));
            d.addTIFFField(new javax.imageio.plugins.tiff.TIFFField(javax.imageio.plugins.tiff.BaselineTIFFTagSet
                    .getInstance().getTag(javax.imageio.plugins.tiff.BaselineTIFFTagSet.TAG_ORIENTATION), 6));
            writer.write(null, new javax.imageio.IIOImage(bi, null, d.getAsMetadata()), param);
        } finally {
            writer.dispose();
        }
        Image read = ImageReading.read(bytes.toByteArray(), "sideways.tif", Long.MAX_VALUE);
        assertEquals(24, read.width());
        assertEquals(32, read.height());
        // Rotated 90 degrees clockwise: the stored bottom-left pixel is now the top-left one.
        assertEquals(img.plane(1)[23 * 32], read.plane(1)[0], 0.003f);
        assertEquals(img.plane(0)[23 * 32], read.plane(0)[0], 0.003f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpg", "tiff"})
    void everyOutputFormatCarriesTheProfile(String format) throws IOException {
        byte[] icc = MetadataFixtures.linearRgbProfile();
        Image img = smooth(20, 16).withMetadata(new ImageMetadata(icc, MetadataFixtures.exif(1, 20, 16),
                MetadataFixtures.XMP));
        Path out = dir.resolve("o." + format);
        ImageWriting.write(img, out);
        // An independent reader (ImageIO's, which TIFF and the JDK's PNG reader use) sees the profile...
        if (format.equals("tiff")) {
            try (ImageInputStream in = ImageIO.createImageInputStream(out.toFile())) {
                var r = ImageIO.getImageReadersByFormatName("tiff").next();
                r.setInput(in);
                var dir = javax.imageio.plugins.tiff.TIFFDirectory.createFromMetadata(r.getImageMetadata(0));
                assertArrayEquals(icc, dir.getTIFFField(34675).getAsBytes());
                // ImageIO's reader skips tag 700; TwelveMonkeys' TIFF parser sees it.
                assertArrayEquals(MetadataFixtures.XMP,
                        (byte[]) MetadataFixtures.exifValue(MetadataFixtures.bytes(out), 700, false));
            }
        } else if (format.equals("jpg")) {
            ICC_Profile p = ICC_Profile.getInstance(MetadataFixtures.jpegSegment(MetadataFixtures.bytes(out), JPEG.APP2,
                    "ICC_PROFILE"));
            assertArrayEquals(icc, p.getData());
        } else {
            javax.imageio.metadata.IIOMetadata m = pngMetadata(out);
            assertNotNull(((javax.imageio.metadata.IIOMetadataNode) m.getAsTree("javax_imageio_png_1.0"))
                    .getElementsByTagName("iCCP").item(0), "no iCCP chunk");
        }
        // ... and ours reads it back with the values as written.
        Image back = ImageReading.read(out);
        assertArrayEquals(icc, back.metadata().iccProfile());
        assertEquals(0.4f, back.plane(2)[3 * 20 + 3], format.equals("jpg") ? 0.02f : 0.003f);
        assertArrayEquals(MetadataFixtures.XMP, back.metadata().xmp());
        if (!format.equals("tiff")) { // TIFF keeps EXIF as tags of its own, not carried (ImageWriting)
            assertNotNull(back.metadata().exif());
        }
    }

    @Test
    void sixteenBitGrayAndAlphaSurviveTiffAndPng() {
        float[] g = new float[12 * 10];
        float[] a = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = (i * 517 % 65536) / 65535f;
            a[i] = (i % 7) / 6f;
        }
        Image img = Image.of(12, 10, new float[][] {g}, a, 16);
        for (String ext : List.of("png", "tiff")) {
            Path out = dir.resolve("deep." + ext);
            ImageWriting.write(img, out);
            Image back = ImageReading.read(out);
            assertTrue(back.isGray() && back.hasAlpha() && back.sourceBitDepth() == 16, ext + ": " + back);
            for (int i = 0; i < g.length; i++) {
                assertEquals(g[i], back.plane(0)[i], 0.5f / 65535, ext);
            }
        }
    }

    @Test
    void cmykProfilesAndBrokenBlocksAreDroppedNotFatal() {
        // A profile that does not fit the output's channels is not written (a converted CMYK photo is sRGB now).
        byte[] gray = ICC_Profile.getInstance(java.awt.color.ColorSpace.CS_GRAY).getData();
        ImageMetadata m = new ImageMetadata(gray, new byte[] {'M', 'M', 0, 42, 0, 0, 0, 99}, null);
        ImageMetadata out = m.forOutput(10, 10, 3);
        assertNull(out.iccProfile());
        assertEquals(1, m.orientation()); // unreadable EXIF: upright, untouched
        assertArrayEquals(m.exif(), out.exif());
    }

    @Test
    void bytesAndStreamsWorkLikeFiles() {
        Image img = smooth(16, 16).withMetadata(new ImageMetadata(MetadataFixtures.linearRgbProfile(), null, null));
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        ImageWriting.write(img, png, "png", 95);
        Image back = ImageReading.read(png.toByteArray(), "upload", ImageReading.DEFAULT_MAX_PIXELS);
        Image expected = img.quantize8();
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(expected.plane(c), back.plane(c), 1e-6f);
        }
        assertArrayEquals(MetadataFixtures.linearRgbProfile(), back.metadata().iccProfile());
        ImageException e = assertThrows(ImageException.class,
                () -> ImageReading.read(new byte[] {1, 2, 3}, "upload", 100));
        assertTrue(e.getMessage().startsWith("upload: "), e.getMessage());
    }

    private static javax.imageio.metadata.IIOMetadata pngMetadata(Path p) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(p.toFile())) {
            var r = ImageIO.getImageReadersByFormatName("png").next();
            r.setInput(in);
            return r.getImageMetadata(0);
        }
    }
}
