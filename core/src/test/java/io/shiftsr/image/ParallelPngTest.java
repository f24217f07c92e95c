package io.shiftsr.image;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Inflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The parallel PNG writer against the JDK's: the same pixels, read back by the JDK's own PNG reader (an
 * independent decoder), a zlib stream whose Adler-32 and chunk CRCs check, metadata carried, for one segment and
 * many, gray and RGB, at odd sizes.
 */
class ParallelPngTest {
    private static float[][][] rows(int w, int h, int channels, long seed) {
        Random r = new Random(seed);
        float[][][] rows = new float[h][channels][w];
        for (int y = 0; y < h; y++) {
            for (int c = 0; c < channels; c++) {
                for (int x = 0; x < w; x++) {
                    // smooth content with noise, and some values outside [0, 1] that the conversion clamps
                    rows[y][c][x] = (float) (0.5 + 0.4 * Math.sin(0.05 * x + 0.03 * y + c) + 0.1 * r.nextGaussian());
                }
            }
        }
        return rows;
    }

    private static byte[] encode(float[][][] rows, int w, int channels, ImageMetadata meta, boolean jdk)
            throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int h = rows.length;
        if (jdk) {
            RowStreamImage image = new RowStreamImage(w, h, channels, y -> rows[y]);
            java.lang.reflect.Method m = ImageWriting.class.getDeclaredMethod("encode", java.io.OutputStream.class,
                    String.class, ImageMetadata.class, java.awt.image.RenderedImage.class, int.class);
            m.setAccessible(true);
            m.invoke(null, out, "png", meta.forOutput(w, h, channels), image, 95);
        } else {
            ImageWriting.writePngRows(out, w, h, channels, meta, y -> rows[y]);
        }
        return out.toByteArray();
    }

    @Test
    void samePixelsAsTheJdkWriterAndAValidStream() throws Exception {
        assertFalse(ImageWriting.JDK_PNG, "the default is the parallel writer");
        int[][] sizes = {{1, 1, 3}, {7, 5, 1}, {640, 300, 3}, {333, 901, 1}, {1024, 400, 3}};
        for (int[] s : sizes) {
            int w = s[0], h = s[1], ch = s[2];
            float[][][] rows = rows(w, h, ch, w * 31L + h);
            byte[] ours = encode(rows, w, ch, ImageMetadata.NONE, false);
            byte[] jdk = encode(rows, w, ch, ImageMetadata.NONE, true);
            BufferedImage a = ImageIO.read(new ByteArrayInputStream(ours));
            BufferedImage b = ImageIO.read(new ByteArrayInputStream(jdk));
            assertNotNull(a, "the JDK's reader reads it");
            assertEquals(w, a.getWidth());
            assertEquals(h, a.getHeight());
            assertArrayEquals(b.getRaster().getPixels(0, 0, w, h, (int[]) null),
                    a.getRaster().getPixels(0, 0, w, h, (int[]) null), w + "x" + h + "x" + ch);
            int segments = checkChunksAndZlib(ours);
            int rowBytes = w * ch + 1;
            int expected = (int) Math.ceil((double) h / Math.max(1, ParallelPng.SEGMENT_BYTES / rowBytes));
            assertEquals(expected, segments, "IDAT chunks, one per segment");
            System.out.printf("parallel PNG %dx%dx%d: %d bytes, JDK %d (%+.1f%%), %d segments%n", w, h, ch,
                    ours.length, jdk.length, 100.0 * (ours.length - jdk.length) / jdk.length, segments);
        }
    }

    /**
     * Flat areas (a white background) keep LZ77's runs: a segment with a quarter of its filtered bytes 0 is not
     * Huffman-coded only, which could not go below 1 bit per byte. Pixels still those of the JDK's writer.
     */
    @Test
    void flatAreasStaySmall() throws Exception {
        int w = 1024, h = 512;
        float[][][] photo = rows(w, h, 3, 5);
        float[][][] flat = new float[h][3][w];
        for (int y = 0; y < h; y++) {
            for (int c = 0; c < 3; c++) {
                for (int x = 0; x < w; x++) {
                    flat[y][c][x] = x < w / 2 ? 1f : photo[y][c][x]; // half white, half photo
                }
            }
        }
        byte[] ours = encode(flat, w, 3, ImageMetadata.NONE, false);
        byte[] jdk = encode(flat, w, 3, ImageMetadata.NONE, true);
        assertArrayEquals(ImageIO.read(new ByteArrayInputStream(jdk)).getRaster().getPixels(0, 0, w, h, (int[]) null),
                ImageIO.read(new ByteArrayInputStream(ours)).getRaster().getPixels(0, 0, w, h, (int[]) null));
        byte[] photoOnly = encode(photo, w, 3, ImageMetadata.NONE, false);
        // Huffman codes alone would spend at least 1 bit on each of the 786,432 white bytes (98 KB)
        assertTrue(ours.length < photoOnly.length / 2 + 40_000, "half white: " + ours.length + " bytes, the photo "
                + photoOnly.length);
        assertTrue(ours.length <= jdk.length * 1.1, "ours " + ours.length + ", JDK " + jdk.length);
    }

    /**
     * A whole 8-bit gray or RGB image (`upscale --compare`, degrade, eval) is written by the same parallel writer as
     * a streamed upscale, byte for byte; alpha and 16 bits stay with the JDK's writer, which keeps them.
     */
    @Test
    void wholeImagesTakeTheParallelWriter() throws Exception {
        int w = 301, h = 203;
        for (int channels : new int[] {1, 3}) {
            float[][][] rows = rows(w, h, channels, 12);
            float[][] planes = new float[channels][w * h];
            for (int y = 0; y < h; y++) {
                for (int c = 0; c < channels; c++) {
                    System.arraycopy(rows[y][c], 0, planes[c], y * w, w);
                }
            }
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            ImageWriting.write(Image.of(w, h, planes), whole, "png", 95);
            assertArrayEquals(encode(rows, w, channels, ImageMetadata.NONE, false), whole.toByteArray());
        }
        float[][] rgb = new float[3][w * h];
        float[] alpha = new float[w * h];
        java.util.Arrays.fill(alpha, 0.5f);
        ByteArrayOutputStream withAlpha = new ByteArrayOutputStream();
        ImageWriting.write(Image.of(w, h, rgb, alpha, 8), withAlpha, "png", 95);
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(withAlpha.toByteArray()));
        assertTrue(back.getColorModel().hasAlpha(), "alpha kept");
        assertEquals(128, back.getRaster().getSample(7, 9, 3));
    }

    /** Repeated content (a noise tile repeated, as in graphics and patterns) is found by the LZ77 probe. */
    @Test
    void repeatedContentStaysSmall() throws Exception {
        int w = 1024, h = 512, t = 48;
        float[][][] tile = rows(t, t, 3, 9);
        Random r = new Random(10);
        for (float[][] row : tile) {
            for (float[] plane : row) {
                for (int x = 0; x < t; x++) {
                    plane[x] = r.nextFloat(); // noise: Huffman codes alone cannot shrink it
                }
            }
        }
        float[][][] repeated = new float[h][3][w];
        for (int y = 0; y < h; y++) {
            for (int c = 0; c < 3; c++) {
                for (int x = 0; x < w; x++) {
                    repeated[y][c][x] = tile[y % t][c][x % t];
                }
            }
        }
        byte[] ours = encode(repeated, w, 3, ImageMetadata.NONE, false);
        byte[] jdk = encode(repeated, w, 3, ImageMetadata.NONE, true);
        assertArrayEquals(ImageIO.read(new ByteArrayInputStream(jdk)).getRaster().getPixels(0, 0, w, h, (int[]) null),
                ImageIO.read(new ByteArrayInputStream(ours)).getRaster().getPixels(0, 0, w, h, (int[]) null));
        assertTrue(ours.length < w * h * 3 / 4, "repeated noise: " + ours.length + " bytes, raw " + w * h * 3);
        assertTrue(ours.length <= jdk.length * 1.1, "ours " + ours.length + ", JDK " + jdk.length);
    }

    /**
     * The (branch-free) Paeth filter against the specification's predictor written out (PNG 9.4), on random bytes
     * and on bytes from a few levels, which make the ties between the three distances common.
     */
    @Test
    void paethIsTheSpecifications() {
        Random r = new Random(3);
        for (int k = 0; k < 4; k++) {
            int bpp = k % 2 == 0 ? 1 : 3;
            boolean fewLevels = k >= 2;
            byte[] cur = new byte[bpp * 5000], prev = new byte[bpp * 5000];
            for (int i = 0; i < cur.length; i++) {
                cur[i] = (byte) (fewLevels ? 100 + 7 * r.nextInt(4) : r.nextInt(256));
                prev[i] = (byte) (fewLevels ? 100 + 7 * r.nextInt(4) : r.nextInt(256));
            }
            byte[] out = new byte[cur.length + 2];
            ParallelPng.paeth(cur, prev, bpp, out, 2);
            for (int i = 0; i < cur.length; i++) {
                int a = i >= bpp ? cur[i - bpp] & 0xFF : 0, b = prev[i] & 0xFF, c = i >= bpp ? prev[i - bpp] & 0xFF : 0;
                int p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
                int pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                byte f = (byte) ((cur[i] & 0xFF) - pred);
                assertEquals(f, out[2 + i], "byte " + i + " at " + bpp + " bytes per pixel");
            }
        }
    }

    @Test
    void metadataIsCarried() throws Exception {
        byte[] xmp = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"></x:xmpmeta>".getBytes(StandardCharsets.UTF_8);
        ImageMetadata meta = new ImageMetadata(null, null, xmp);
        float[][][] rows = rows(40, 30, 3, 5);
        byte[] ours = encode(rows, 40, 3, meta, false);
        assertEquals(new String(encode(rows, 40, 3, meta, true), StandardCharsets.ISO_8859_1).contains("iTXt"),
                new String(ours, StandardCharsets.ISO_8859_1).contains("iTXt"));
        assertTrue(new String(ours, StandardCharsets.ISO_8859_1).contains("adobe:ns:meta"));
        checkChunksAndZlib(ours);
        assertNotNull(ImageIO.read(new ByteArrayInputStream(ours)));
    }

    @Test
    void longZeroRunsAreCounted() {
        byte[] b = new byte[200];
        java.util.Arrays.fill(b, (byte) 1);
        java.util.Arrays.fill(b, 10, 10 + ParallelPng.LONG_RUN - 1, (byte) 0); // one short of long: not counted
        java.util.Arrays.fill(b, 100, 150, (byte) 0);
        java.util.Arrays.fill(b, 160, 200, (byte) 0); // a run that ends the segment
        assertEquals(90, ParallelPng.inLongZeroRuns(b));
    }

    @Test
    void longZeroRunsAreCountedAsByteByByte() {
        Random r = new Random(5);
        for (int k = 0; k < 400; k++) {
            byte[] b = new byte[r.nextInt(300)];
            double zeros = r.nextDouble(); // from scattered zeros to long flat runs
            int i = 0;
            while (i < b.length) {
                int len = 1 + r.nextInt(r.nextBoolean() ? 8 : 80);
                byte v = r.nextDouble() < zeros ? 0 : (byte) (1 + r.nextInt(255));
                for (int j = i; j < Math.min(b.length, i + len); j++) {
                    b[j] = v == 0 || r.nextInt(4) > 0 ? v : 0;
                }
                i += len;
            }
            assertEquals(inLongZeroRunsByteByByte(b), ParallelPng.inLongZeroRuns(b), "array " + k);
        }
    }

    /** The specification: every maximal run of zeros of at least LONG_RUN bytes counts whole. */
    private static long inLongZeroRunsByteByByte(byte[] b) {
        long in = 0;
        int run = 0;
        for (byte v : b) {
            if (v == 0) {
                run++;
            } else {
                in += run >= ParallelPng.LONG_RUN ? run : 0;
                run = 0;
            }
        }
        return in + (run >= ParallelPng.LONG_RUN ? run : 0);
    }

    @Test
    void adlerCombineIsZlibs() {
        Random r = new Random(3);
        for (int i = 0; i < 50; i++) {
            byte[] a = new byte[r.nextInt(200_000)], b = new byte[r.nextInt(200_000)];
            r.nextBytes(a);
            r.nextBytes(b);
            java.util.zip.Adler32 x = new java.util.zip.Adler32(), y = new java.util.zip.Adler32(),
                    all = new java.util.zip.Adler32();
            x.update(a);
            y.update(b);
            all.update(a);
            all.update(b);
            assertEquals(all.getValue(), ParallelPng.combine(x.getValue(), y.getValue(), b.length));
        }
    }

    /** Every chunk's CRC, and the IDATs inflated as one zlib stream (which checks its Adler-32); IDAT count. */
    private static int checkChunksAndZlib(byte[] png) throws Exception {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(png));
        in.skipNBytes(8);
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        int idats = 0;
        while (true) {
            int len = in.readInt();
            byte[] type = in.readNBytes(4);
            byte[] data = in.readNBytes(len);
            int crc = in.readInt();
            CRC32 c = new CRC32();
            c.update(type);
            c.update(data);
            assertEquals((int) c.getValue(), crc, new String(type, StandardCharsets.US_ASCII) + " CRC");
            String t = new String(type, StandardCharsets.US_ASCII);
            if (t.equals("IDAT")) {
                idat.write(data);
                idats++;
            }
            if (t.equals("IEND")) {
                break;
            }
        }
        Inflater inf = new Inflater();
        inf.setInput(idat.toByteArray());
        byte[] buf = new byte[1 << 16];
        while (!inf.finished()) {
            int k = inf.inflate(buf);
            if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                fail("truncated zlib stream");
            }
        }
        assertEquals(0, inf.getRemaining(), "nothing after the zlib stream");
        inf.end();
        return idats;
    }
}
