package io.shiftsr.train;

import static org.junit.jupiter.api.Assertions.*;

import io.shiftsr.engine.Scope;
import io.shiftsr.engine.Tensor;
import io.shiftsr.metrics.ColorSpace;
import org.junit.jupiter.api.Test;

class LossesTest {

    private static Tensor rgb(float r, float g, float b) {
        float[] v = new float[3 * 4];
        java.util.Arrays.fill(v, 0, 4, r);
        java.util.Arrays.fill(v, 4, 8, g);
        java.util.Arrays.fill(v, 8, 12, b);
        return Tensor.of(v, 1, 3, 2, 2);
    }

    @Test
    void lumaLossSeesWhatPsnrYSeesAndNotTheChroma() {
        try (Scope s = Scope.open()) {
            Losses luma = new Losses(new TrainConfig.Loss(0, 1, 0, 0, 0));
            Tensor target = rgb(0, 0, 0);
            // a colour shift of zero luma: red up, blue down in the ratio of their Y weights
            float up = 0.2f, down = (float) (-0.2 * ColorSpace.Y_R / ColorSpace.Y_B);
            assertEquals(0.0, luma.compute(rgb(up, 0, down), target, 0).item(), 1e-6);
            assertTrue(new Losses(new TrainConfig.Loss(1, 0, 0, 0, 0)).compute(rgb(up, 0, down), target, 0).item() > 0.1);
            // a gray shift of d: Y moves by (sum of the weights / 255) d
            double d = 0.3, expected = (ColorSpace.Y_R + ColorSpace.Y_G + ColorSpace.Y_B) / 255 * d;
            assertEquals(expected, luma.compute(rgb(0.3f, 0.3f, 0.3f), target, 0).item(), 1e-6);
        }
    }
}
