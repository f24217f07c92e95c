package io.shiftsr.latent;

import static org.junit.jupiter.api.Assertions.*;

import io.shiftsr.engine.Rng;
import io.shiftsr.engine.Scope;
import io.shiftsr.engine.Tensor;
import org.junit.jupiter.api.Test;

class UnshuffleCodecTest {
    private final UnshuffleCodec codec = new UnshuffleCodec();

    @Test
    void encodesPixelUnshufflesValuesChannelsLast() {
        try (Scope s = Scope.open()) {
            Tensor image = new Rng(3).randn(2, 3, 8, 12);
            Tensor latent = codec.encode(image);
            assertArrayEquals(new long[] {2, 48, 2, 3}, latent.shape());
            assertArrayEquals(image.pixelUnshuffle(4).toFloatArray(), latent.toFloatArray());
            assertTrue(latent.channelsLast(), "the layout the bf16 convolutions read");
            // one value by hand: channel c * 16 + 4 i + j of latent pixel (y, x) is image pixel (4y + i, 4x + j)
            float[] img = image.toFloatArray(), lat = latent.toFloatArray();
            int c = 2, i = 1, j = 3, y = 1, x = 2;
            assertEquals(img[((1 * 3 + c) * 8 + 4 * y + i) * 12 + 4 * x + j],
                    lat[((1 * 48 + c * 16 + 4 * i + j) * 2 + y) * 3 + x]);
        }
    }

    @Test
    void decodesEitherLayoutBackToTheImage() {
        try (Scope s = Scope.open()) {
            Tensor image = new Rng(4).randn(1, 3, 16, 8);
            assertArrayEquals(image.toFloatArray(), codec.decode(codec.encode(image)).toFloatArray());
            Tensor plain = image.pixelUnshuffle(4); // standard layout, as a network may return
            assertFalse(plain.channelsLast());
            assertArrayEquals(plain.pixelShuffle(4).toFloatArray(), codec.decode(plain).toFloatArray());
        }
    }
}
