package io.shiftsr.image;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * The literal-only deflate writer, read back by zlib's inflate (java.util.zip, a decoder independent of it): every
 * kind of data a PNG segment can be (photo-like, skewed, one byte value, noise that stays stored, empty), alone and
 * as segments written one after another; code lengths within the limit and complete codes.
 */
class HuffmanDeflateTest {
    private static byte[] inflate(byte[] raw, int expected) throws DataFormatException {
        Inflater inf = new Inflater(true);
        inf.setInput(raw);
        byte[] out = new byte[expected + 16];
        int n = 0;
        while (!inf.finished()) {
            int k = inf.inflate(out, n, out.length - n);
            assertFalse(k == 0 && !inf.finished() && inf.needsInput(), "the stream ends before its final block");
            n += k;
        }
        assertEquals(0, inf.getRemaining(), "bytes after the final block");
        inf.end();
        return Arrays.copyOf(out, n);
    }

    private static byte[] photoLike(int n, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) { // Paeth residuals of a photo: small, mostly near 0
            b[i] = (byte) Math.round(r.nextGaussian() * 6);
        }
        return b;
    }

    @Test
    void everyKindOfSegmentInflatesBack() throws Exception {
        Random r = new Random(7);
        byte[] noise = new byte[200_000];
        r.nextBytes(noise);
        byte[] skewed = new byte[300_000];
        for (int i = 0; i < skewed.length; i++) { // one value nearly everywhere: long codes for the rest
            skewed[i] = (byte) (r.nextInt(100_000) == 0 ? r.nextInt(256) : 0);
        }
        byte[] one = new byte[5000];
        Arrays.fill(one, (byte) 42);
        for (byte[] data : new byte[][] {photoLike(262_144, 1), noise, skewed, one, new byte[0], {3}}) {
            byte[] raw = HuffmanDeflate.deflate(data, 0, data.length, true);
            assertArrayEquals(data, inflate(raw, data.length));
        }
        // noise stays stored: no more than the stored blocks' headers (5 bytes per block) over the data
        assertTrue(HuffmanDeflate.deflate(noise, 0, noise.length, true).length <= noise.length * 1.001 + 16);
        // photo residuals shrink as an entropy coder makes them (about 4.6 bits per byte here)
        byte[] photo = photoLike(262_144, 2);
        assertTrue(HuffmanDeflate.deflate(photo, 0, photo.length, true).length < photo.length * 0.62);
    }

    /** The size the LZ77 probe weighs is the length deflate writes, for every kind of block. */
    @Test
    void finalBlockBytesIsTheWrittenLength() {
        Random r = new Random(8);
        byte[] noise = new byte[32 << 10];
        r.nextBytes(noise);
        byte[] one = new byte[3000];
        Arrays.fill(one, (byte) 7);
        for (byte[] data : new byte[][] {photoLike(32 << 10, 5), photoLike(1000, 6), noise, one, new byte[0], {9}}) {
            assertEquals(HuffmanDeflate.deflate(data, 0, data.length, true).length,
                    HuffmanDeflate.finalBlockBytes(data, 0, data.length), data.length + " bytes");
        }
        byte[] twoBlocks = new byte[40 << 10];
        assertThrows(IllegalArgumentException.class, () -> HuffmanDeflate.finalBlockBytes(twoBlocks, 0, twoBlocks.length));
    }

    @Test
    void segmentsWrittenOneAfterAnotherAreOneStream() throws Exception {
        byte[] data = photoLike(700_000, 3);
        Random r = new Random(4);
        for (int i = 300_000; i < 400_000; i++) { // a stored segment between Huffman-coded ones
            data[i] = (byte) r.nextInt(256);
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        int[] cuts = {0, 1, 250_000, 300_000, 400_000, 650_000, 700_000};
        for (int k = 0; k + 1 < cuts.length; k++) {
            all.write(HuffmanDeflate.deflate(data, cuts[k], cuts[k + 1] - cuts[k], k + 2 == cuts.length));
        }
        assertArrayEquals(data, inflate(all.toByteArray(), data.length));
    }

    @Test
    void codeLengthsStayWithinTheLimitAndTheCodeIsComplete() {
        int[] fib = new int[40]; // Fibonacci counts: an unlimited Huffman code would be 39 bits deep
        fib[0] = 1;
        fib[1] = 1;
        for (int i = 2; i < fib.length; i++) {
            fib[i] = fib[i - 1] + fib[i - 2];
        }
        for (int[] counts : new int[][] {fib, {5, 0, 0, 0}, {0, 0, 9}, {1, 1}, {3, 1, 4, 1, 5, 9, 2, 6}}) {
            for (int max : new int[] {7, 15}) {
                int[] len = HuffmanDeflate.codeLengths(counts, max);
                double kraft = 0;
                int coded = 0;
                for (int i = 0; i < counts.length; i++) {
                    assertTrue(len[i] <= max, "length " + len[i] + " over " + max);
                    assertTrue(counts[i] == 0 || len[i] > 0, "a used symbol without a code");
                    kraft += len[i] > 0 ? Math.pow(2, -len[i]) : 0;
                    coded += len[i] > 0 ? 1 : 0;
                }
                assertTrue(coded >= 2, "fewer than two codes");
                assertEquals(1.0, kraft, 1e-12, "an incomplete or over-full code: " + Arrays.toString(len));
            }
        }
    }

    @Test
    void canonicalCodesAreTheRfcExample() {
        // RFC 1951 3.2.2: lengths (3, 3, 3, 3, 3, 2, 4, 4) give 010 011 100 101 110 00 1110 1111
        int[] codes = HuffmanDeflate.canonicalCodes(new int[] {3, 3, 3, 3, 3, 2, 4, 4});
        int[] expected = {0b010, 0b011, 0b100, 0b101, 0b110, 0b00, 0b1110, 0b1111};
        int[] lengths = {3, 3, 3, 3, 3, 2, 4, 4};
        for (int i = 0; i < codes.length; i++) {
            assertEquals(Integer.reverse(expected[i]) >>> (32 - lengths[i]), codes[i], "symbol " + i);
        }
    }
}
