package io.shiftsr.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shiftsr.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading and writing edge cases, on fixtures generated in a temp folder. */
class ImageFilesTest {
    @TempDir
    Path dir;

    private static Image noise(int w, int h, int channels, boolean alpha, long seed) {
        return TestImages.noise(w, h, channels, alpha, seed);
    }

    @Test
    void grayStaysGrayThroughPng() {
        Image gray = noise(17, 9, 1, false, 1);
        Path f = dir.resolve("g.png");
        ImageWriting.write(gray, f);
        Image back = ImageReading.read(f);
        assertEquals(1, back.channels());
        assertFalse(back.hasAlpha());
        assertArrayEquals(gray.plane(0), back.plane(0), 1e-6f);
    }

    @Test
    void grayStaysGrayThroughJpeg() {
        Image gray = noise(16, 16, 1, false, 2);
        Path f = dir.resolve("g.jpg");
        ImageWriting.write(gray, f);
        assertEquals(1, ImageReading.read(f).channels());
    }

    @Test
    void alphaIsCarriedThroughPng() {
        for (int channels : new int[] {1, 3}) {
            Image img = noise(11, 7, channels, true, 3);
            Path f = dir.resolve("a" + channels + ".png");
            ImageWriting.write(img, f);
            Image back = ImageReading.read(f);
            assertEquals(channels, back.channels());
            assertTrue(back.hasAlpha());
            assertArrayEquals(img.alpha(), back.alpha(), 1e-6f);
            for (int c = 0; c < channels; c++) {
                assertArrayEquals(img.plane(c), back.plane(c), 1e-6f);
            }
        }
    }

    @Test
    void jpegDropsAlpha() {
        Path f = dir.resolve("a.jpg");
        ImageWriting.write(noise(8, 8, 3, true, 4), f);
        Image back = ImageReading.read(f);
        assertFalse(back.hasAlpha());
        assertEquals(3, back.channels());
    }

    @Test
    void sixteenBitPngKeepsPrecision() throws IOException {
        BufferedImage bi = new BufferedImage(5, 3, BufferedImage.TYPE_USHORT_GRAY);
        bi.getRaster().setSample(2, 1, 0, 1000);
        bi.getRaster().setSample(4, 2, 0, 65535);
        Path f = dir.resolve("g16.png");
        ImageIO.write(bi, "png", f.toFile());
        Image img = ImageReading.read(f);
        assertEquals(16, img.sourceBitDepth());
        assertEquals(1, img.channels());
        assertEquals(1000 / 65535f, img.plane(0)[1 * 5 + 2], 1e-7f);
        assertEquals(1f, img.plane(0)[2 * 5 + 4], 1e-7f);

        // RGB 16-bit written by us stays 16-bit.
        float[] r = new float[6];
        r[0] = 1000 / 65535f;
        Image rgb = Image.of(3, 2, new float[][] {r, new float[6], new float[6]}, null, 16);
        Path f2 = dir.resolve("rgb16.png");
        ImageWriting.write(rgb, f2);
        Image back = ImageReading.read(f2);
        assertEquals(16, back.sourceBitDepth());
        assertEquals(1000 / 65535f, back.plane(0)[0], 1e-7f);
    }

    @Test
    void palettePngReadsAsRgb() throws IOException {
        byte[] red = {(byte) 255, 0, 0, 10};
        byte[] green = {0, (byte) 255, 0, 20};
        byte[] blue = {0, 0, (byte) 255, 30};
        IndexColorModel icm = new IndexColorModel(2, 4, red, green, blue);
        BufferedImage bi = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_BINARY, icm);
        for (int x = 0; x < 4; x++) {
            bi.getRaster().setSample(x, 0, 0, x);
        }
        Path f = dir.resolve("pal.png");
        ImageIO.write(bi, "png", f.toFile());
        Image img = ImageReading.read(f);
        assertEquals(3, img.channels());
        assertEquals(1f, img.plane(0)[0]);
        assertEquals(1f, img.plane(1)[1]);
        assertEquals(1f, img.plane(2)[2]);
        assertEquals(20 / 255f, img.plane(1)[3], 1e-6f);
    }

    @Test
    void bmpReads() throws IOException {
        BufferedImage bi = new BufferedImage(6, 4, BufferedImage.TYPE_3BYTE_BGR);
        bi.setRGB(1, 2, 0x336699);
        Path f = dir.resolve("x.bmp");
        ImageIO.write(bi, "bmp", f.toFile());
        Image img = ImageReading.read(f);
        assertEquals(6, img.width());
        assertEquals(0x33 / 255f, img.plane(0)[2 * 6 + 1], 1e-6f);
    }

    @Test
    void truncatedPngAndJpegAreRefused() throws IOException {
        for (String ext : List.of("png", "jpg")) {
            Path full = dir.resolve("full." + ext);
            ImageWriting.write(noise(64, 64, 3, false, 5), full);
            byte[] bytes = Files.readAllBytes(full);
            Path cut = dir.resolve("cut." + ext);
            Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
            ImageException e = assertThrows(ImageException.class, () -> ImageReading.read(cut));
            assertEquals(cut + ": truncated or corrupt image data", e.getMessage().replaceAll(" \\(.*\\)$", ""));
        }
    }

    @Test
    void contentIsSniffedNotTakenFromTheExtension() throws IOException {
        Path png = dir.resolve("real.png");
        ImageWriting.write(noise(5, 5, 3, false, 6), png);
        Path misnamed = dir.resolve("misnamed.jpg");
        Files.copy(png, misnamed);
        assertEquals(5, ImageReading.read(misnamed).width());

        Path text = dir.resolve("text.png");
        Files.writeString(text, "this is not an image\n");
        ImageException e = assertThrows(ImageException.class, () -> ImageReading.read(text));
        assertEquals(text + ": not a supported image (PNG, JPEG, BMP, WebP, TIFF)", e.getMessage());
    }

    @Test
    void emptyAndMissingFiles() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.png"));
        assertEquals(empty + ": file is empty",
                assertThrows(ImageException.class, () -> ImageReading.read(empty)).getMessage());
        Path missing = dir.resolve("missing.png");
        assertEquals(missing + ": no such file",
                assertThrows(ImageException.class, () -> ImageReading.read(missing)).getMessage());
    }

    @Test
    void hugeHeaderIsRefusedBeforeDecoding() throws IOException {
        Path big = dir.resolve("big.png");
        Files.write(big, pngHeaderOnly(60000, 60000));
        // Refused from the header: decoding 3.6 G pixels would end in an OutOfMemoryError, not this message (no
        // wall-clock bound, which a loaded 2-core machine can miss).
        ImageException e = assertThrows(ImageException.class, () -> ImageReading.read(big));
        assertEquals(big + ": 60000x60000 = 3600000000 pixels exceeds the limit of 100000000 (raise it with"
                + " --max-pixels)", e.getMessage());
        // A lower limit applies to ordinary images too.
        Path small = dir.resolve("small.png");
        ImageWriting.write(noise(20, 20, 3, false, 7), small);
        // Issue 31: the figures as given, not "20x20 = 0.0 MP exceeds the limit of 0.0 MP".
        assertEquals(small + ": 20x20 = 400 pixels exceeds the limit of 399 (raise it with --max-pixels)",
                assertThrows(ImageException.class, () -> ImageReading.read(small, 399)).getMessage());
        assertEquals(big + ": 60000x60000 = 3600000000 pixels is more than one image can hold here (2147483639)",
                assertThrows(ImageException.class, () -> ImageReading.read(big, Long.MAX_VALUE)).getMessage());
        assertEquals(20, ImageReading.read(small, 400).width());
    }

    /** PNG signature, a valid IHDR (8-bit RGB) with its CRC, a tiny IDAT and IEND: only the header is real. */
    static byte[] pngHeaderOnly(int w, int h) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeInt(w);
        d.writeInt(h);
        d.writeByte(8); // bit depth
        d.writeByte(2); // colour type RGB
        d.writeByte(0);
        d.writeByte(0);
        d.writeByte(0);
        chunk(out, "IHDR", ihdr.toByteArray());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(out, "IEND", new byte[0]);
        return bytes.toByteArray();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeInt(data.length);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }

    @Test
    void exifOrientationIsApplied() throws IOException {
        // 40x24: left half black, right half white; orientation 6 = rotate 90 degrees clockwise.
        float[] g = new float[40 * 24];
        for (int y = 0; y < 24; y++) {
            for (int x = 20; x < 40; x++) {
                g[y * 40 + x] = 1f;
            }
        }
        Path plain = dir.resolve("plain.jpg");
        ImageWriting.write(Image.of(40, 24, g), plain);
        byte[] jpeg = Files.readAllBytes(plain);
        Path rotated = dir.resolve("rotated.jpg");
        Files.write(rotated, withExifOrientation(jpeg, 6));
        Image img = ImageReading.read(rotated);
        assertEquals(24, img.width());
        assertEquals(40, img.height());
        assertTrue(img.plane(0)[5 * 24 + 12] < 0.2f, "top comes from the left (black) half");
        assertTrue(img.plane(0)[35 * 24 + 12] > 0.8f, "bottom comes from the right (white) half");
    }

    /** Inserts an APP1 Exif segment (big-endian TIFF, one IFD entry: Orientation) right after SOI. */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) throws IOException {
        ByteArrayOutputStream tiff = new ByteArrayOutputStream();
        DataOutputStream t = new DataOutputStream(tiff);
        t.write(new byte[] {'M', 'M', 0, 42});
        t.writeInt(8);          // offset of IFD0
        t.writeShort(1);        // one entry
        t.writeShort(0x0112);   // Orientation
        t.writeShort(3);        // SHORT
        t.writeInt(1);          // count
        t.writeShort(orientation);
        t.writeShort(0);        // value padding
        t.writeInt(0);          // no next IFD
        byte[] payload = tiff.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(out);
        o.write(jpeg, 0, 2);    // SOI
        o.writeShort(0xFFE1);
        o.writeShort(2 + 6 + payload.length);
        o.write(new byte[] {'E', 'x', 'i', 'f', 0, 0});
        o.write(payload);
        o.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    @Test
    void writeIsAtomicAndLeavesNoTempFiles() throws IOException {
        Path f = dir.resolve("out.png");
        ImageWriting.write(noise(9, 9, 3, false, 8), f);
        ImageWriting.write(noise(9, 9, 3, false, 9), f); // replace
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList());
        }
        // A failing writer leaves the old file untouched and no temp behind.
        byte[] before = Files.readAllBytes(f);
        assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[100]);
            throw new IOException("disk full");
        }));
        assertArrayEquals(before, Files.readAllBytes(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList());
        }
        ImageException e = assertThrows(ImageException.class,
                () -> ImageWriting.write(noise(2, 2, 3, false, 1), dir.resolve("nope/x.png")));
        assertEquals(ImageException.Kind.IO_ERROR, e.kind());
    }

    /** Issue 31 item 14: a PNG write on a full disk said only "I/O error writing PNG file!". */
    @Test
    void aFullDiskIsSaidSo() {
        Path f = dir.resolve("full.png");
        // What the JDK's PNG writer throws when the file system refuses with ENOSPC.
        ImageException e = assertThrows(ImageException.class, () -> ImageWriting.toFile(f, out -> {
            out.write(new byte[100]);
            throw new javax.imageio.IIOException("I/O error writing PNG file!",
                    new IOException("No space left on device"));
        }));
        assertEquals(ImageException.Kind.IO_ERROR, e.kind());
        assertEquals(f + ": cannot write (no space left on device)", e.getMessage());
        assertFalse(Files.exists(f));
    }

    @Test
    void listInputsExpandsFoldersAndGlobs() throws IOException {
        Path d = Files.createDirectory(dir.resolve("in"));
        for (String n : List.of("b.jpg", "a.PNG", "c.txt", "d.webp")) {
            Files.writeString(d.resolve(n), "x");
        }
        Files.createDirectory(d.resolve("sub"));
        Files.writeString(d.resolve("sub/e.png"), "x");
        assertEquals(List.of(d.resolve("a.PNG"), d.resolve("b.jpg"), d.resolve("d.webp")),
                InputFiles.listInputs(List.of(d.toString())));
        assertEquals(List.of(d.resolve("b.jpg")), InputFiles.listInputs(List.of(d + "/*.jpg")));
        assertEquals(List.of(d.resolve("sub/e.png")), InputFiles.listInputs(List.of(d + "/**/*.png")));
        // Files are taken as given (even a .txt), duplicates collapse, result is sorted.
        assertEquals(List.of(d.resolve("a.PNG"), d.resolve("c.txt")),
                InputFiles.listInputs(List.of(d.resolve("c.txt").toString(), d.resolve("a.PNG").toString(),
                        d.resolve("c.txt").toString())));
        ImageException e = assertThrows(ImageException.class,
                () -> InputFiles.listInputs(List.of(d.resolve("zzz.png").toString())));
        assertEquals(d.resolve("zzz.png") + ": no such file or folder", e.getMessage());
        assertThrows(ImageException.class, () -> InputFiles.listInputs(List.of(d + "/*.bmp")));
    }

    /** Issue 31: a folder named through a link was walked as the link itself, so it looked empty. */
    @Test
    void aLinkedFolderIsFollowedButLinksInsideItAreNot() throws IOException {
        Path real = Files.createDirectory(dir.resolve("real"));
        for (String n : List.of("a.png", "b.jpg")) {
            Files.writeString(real.resolve(n), "x");
        }
        Files.createDirectory(real.resolve("sub"));
        Files.writeString(real.resolve("sub/c.png"), "x");
        Files.createSymbolicLink(real.resolve("sub/loop"), real); // a loop inside the tree stays unfollowed
        Files.createSymbolicLink(real.resolve("sub/d.png"), real.resolve("a.png")); // a linked file is a file
        Path link;
        try {
            link = Files.createSymbolicLink(dir.resolve("link"), real);
        } catch (UnsupportedOperationException e) {
            org.junit.jupiter.api.Assumptions.abort("no symbolic links here");
            return;
        }
        assertEquals(List.of(link.resolve("a.png"), link.resolve("b.jpg")), InputFiles.listInputs(List.of(link.toString())));
        assertEquals(List.of(new InputFiles.Input(link.resolve("a.png"), Path.of("a.png")),
                new InputFiles.Input(link.resolve("b.jpg"), Path.of("b.jpg")),
                new InputFiles.Input(link.resolve("sub/c.png"), Path.of("sub/c.png")),
                new InputFiles.Input(link.resolve("sub/d.png"), Path.of("sub/d.png"))),
                InputFiles.listInputs(List.of(link.toString()), true));
        assertEquals(List.of(link.resolve("a.png")), InputFiles.listInputs(List.of(link + "/*.png")));
        assertEquals(List.of(link.resolve("sub/c.png"), link.resolve("sub/d.png")),
                InputFiles.listInputs(List.of(link + "/**/*.png")));
        // A link to a folder given as a glob's folder through a link below the working folder: same.
        Path viaLinkedParent = Files.createSymbolicLink(dir.resolve("link2"), link);
        assertEquals(List.of(viaLinkedParent.resolve("b.jpg")), InputFiles.listInputs(List.of(viaLinkedParent + "/*.jpg")));
    }

    @Test
    void aWebpThatMakesTheDecoderReadPastTheEndIsRefusedQuickly() {
        // Found by ImageReaderFuzzTest: 36 bytes of lossless WebP the decoder read past the end of, one caught
        // EOFException per bit: 43 s before the end guard, a few milliseconds after.
        Path f = Path.of("core/src/test/resources/io/shiftsr/fuzz/ImageReaderFuzzTestInputs/readsAnyBytes/"
                + "slow-webp-reads-past-end");
        ImageException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                () -> assertThrows(ImageException.class, () -> ImageReading.read(f)));
        assertTrue(e.getMessage().contains("truncated or corrupt"), e.getMessage());
    }

    @Test
    void aWebpWhoseFrameIsLargerThanItsCanvasIsRefusedBeforeDecoding() {
        // Found by ImageReaderFuzzTest: 86 bytes declaring a 1x1 canvas around an 11777x13423 VP8 frame made the
        // decoder allocate 3.2 GB for 25 s. Refused from the headers now.
        Path f = Path.of("core/src/test/resources/io/shiftsr/fuzz/ImageReaderFuzzTestInputs/readsAnyBytes/"
                + "webp-frame-larger-than-canvas");
        ImageException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                () -> assertThrows(ImageException.class, () -> ImageReading.read(f)));
        assertTrue(e.getMessage().contains("larger than its 1x1 canvas"), e.getMessage());
    }
}
