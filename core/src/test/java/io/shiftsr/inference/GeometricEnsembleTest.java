package io.shiftsr.inference;

import io.shiftsr.sr.Sampling;
import static org.junit.jupiter.api.Assertions.*;

import io.shiftsr.engine.Rng;
import io.shiftsr.engine.Tensor;
import io.shiftsr.image.Image;
import io.shiftsr.image.TestImages;
import io.shiftsr.sr.ShiftSrModel;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GeometricEnsembleTest {

    @Test
    void everyMemberIsUndoneByItsInverseAndTheEightDiffer() {
        Tensor x = new Rng(5).randn(1, 3, 4, 6); // not square: the transposed members change the shape
        Set<List<Float>> distinct = new HashSet<>();
        for (int k = 0; k < 8; k++) {
            Tensor y = GeometricEnsemble.forward(x, k);
            assertEquals(k >= 4 ? 6 : 4, y.size(2), "member " + k);
            assertArrayEquals(x.toFloatArray(), GeometricEnsemble.inverse(y, k).contiguous().toFloatArray(), 0f,
                    "member " + k);
            float[] v = y.contiguous().toFloatArray();
            List<Float> key = new java.util.ArrayList<>();
            for (float f : v) {
                key.add(f);
            }
            distinct.add(key);
        }
        assertEquals(8, distinct.size());
    }

    @Test
    void onlyTheDihedralSizesAreTaken() {
        for (int n : new int[] {1, 2, 4, 8}) {
            assertEquals(n, Sampling.checkEnsemble(n));
        }
        for (int n : new int[] {0, 3, 5, 16, -2}) {
            assertThrows(IllegalArgumentException.class, () -> Sampling.checkEnsemble(n));
        }
        assertThrows(IllegalArgumentException.class, () -> Sampling.deltaDiff(1).withEnsemble(3));
    }

    /**
     * The ensemble of n is the mean of n plain upscales of the flipped/transposed image, each turned back: checked
     * against doing exactly that by hand on a one-tile image (no padding, so mirroring the input mirrors the
     * tile). Pixels the output clamps to [0, 1] are left out, as the mean of clamped values differs.
     */
    @ParameterizedTest(name = "ensemble of {0}")
    @ValueSource(ints = {2, 4, 8})
    void theEnsembleIsTheMeanOfTheTransformedRunsTurnedBack(int n) {
        ShiftSrModel model = DiffusionUpscalerTest.randomModel(DiffusionUpscalerTest.TINY);
        Image lr = squeeze(TestImages.noise(16, 16, 9));
        Sampling one = Sampling.deltaDiff(2).withTile(64, 0);
        Image ens = new DiffusionUpscaler(model, one.withEnsemble(n)).upscale(lr, 4);
        Image plain = new DiffusionUpscaler(model, one).upscale(lr, 4);
        List<UnaryOperator<Image>> members = List.of(i -> i, GeometricEnsembleTest::mirror,
                GeometricEnsembleTest::upsideDown, i -> mirror(upsideDown(i)), GeometricEnsembleTest::transpose,
                i -> mirror(transpose(i)), i -> upsideDown(transpose(i)), i -> mirror(upsideDown(transpose(i))));
        Image[] back = new Image[n];
        for (int k = 0; k < n; k++) {
            Image run = new DiffusionUpscaler(model, one).upscale(members.get(k).apply(lr), 4);
            back[k] = k < 4 ? members.get(k).apply(run) : transpose(unflip(run, k)); // undo flips, then transpose
        }
        int compared = 0;
        double maxDiff = 0, changed = 0;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < ens.plane(c).length; i++) {
                double mean = 0;
                boolean inside = ens.plane(c)[i] > 0 && ens.plane(c)[i] < 1;
                for (Image b : back) {
                    mean += b.plane(c)[i] / n;
                    inside &= b.plane(c)[i] > 0 && b.plane(c)[i] < 1;
                }
                changed = Math.max(changed, Math.abs(ens.plane(c)[i] - plain.plane(c)[i]));
                if (inside) {
                    compared++;
                    maxDiff = Math.max(maxDiff, Math.abs(ens.plane(c)[i] - mean));
                }
            }
        }
        assertTrue(compared > 0.9 * 3 * 64 * 64, compared + " pixels compared");
        assertTrue(maxDiff < 1e-4, "ensemble vs the mean of the members by hand: " + maxDiff);
        assertTrue(changed > 1e-3, "the ensemble must differ from a single run: " + changed);
    }

    /** Member k >= 4 was transposed, then flipped by k's low bits: undo the flips first. */
    private static Image unflip(Image i, int k) {
        Image out = (k & 1) != 0 ? mirror(i) : i;
        return (k & 2) != 0 ? upsideDown(out) : out;
    }

    /** Values into [0.3, 0.7], so that the outputs of the random model stay inside the [0, 1] clamp. */
    private static Image squeeze(Image i) {
        return map(i, (x, y) -> y * i.width() + x, (c, v) -> 0.3f + 0.4f * v);
    }

    private static Image mirror(Image i) {
        return map(i, (x, y) -> y * i.width() + (i.width() - 1 - x), (c, v) -> v);
    }

    private static Image upsideDown(Image i) {
        return map(i, (x, y) -> (i.height() - 1 - y) * i.width() + x, (c, v) -> v);
    }

    private static Image transpose(Image i) {
        assertEquals(i.width(), i.height());
        return map(i, (x, y) -> x * i.width() + y, (c, v) -> v);
    }

    private interface Source {
        int index(int x, int y);
    }

    private interface Value {
        float of(int channel, float v);
    }

    private static Image map(Image i, Source src, Value value) {
        float[][] planes = new float[i.channels()][i.width() * i.height()];
        for (int c = 0; c < planes.length; c++) {
            for (int y = 0; y < i.height(); y++) {
                for (int x = 0; x < i.width(); x++) {
                    planes[c][y * i.width() + x] = value.of(c, i.plane(c)[src.index(x, y)]);
                }
            }
        }
        return Image.of(i.width(), i.height(), planes);
    }
}
