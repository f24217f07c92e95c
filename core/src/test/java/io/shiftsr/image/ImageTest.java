package io.shiftsr.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class ImageTest {
    @Test
    void packedRgbIsInterleavedRoundedAndClampedInEitherOrder() {
        Image x = Image.of(2, 1, new float[] {0f, 1.2f}, new float[] {0.5f, -1f}, new float[] {1f / 255, Float.NaN});
        assertArrayEquals(new byte[] {0, (byte) 128, 1, (byte) 255, 0, 0}, x.packedRgb8(false));
        assertArrayEquals(new byte[] {1, (byte) 128, 0, 0, 0, (byte) 255}, x.packedRgb8(true));
    }

    @Test
    void grayIsRepeatedAndAlphaDropped() {
        Image g = Image.of(2, 1, new float[][] {{0.2f, 0.8f}}, new float[] {0f, 0f}, 8);
        byte a = (byte) Image.to8(0.2f), b = (byte) Image.to8(0.8f);
        assertArrayEquals(new byte[] {a, a, a, b, b, b}, g.packedRgb8(false));
    }
}
