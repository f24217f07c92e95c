package io.shiftsr.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shiftsr.ReferenceData;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The degradation must reproduce the reference LR made by a MATLAB-compatible imresize (DESIGN.md 7). */
class MatlabBicubicReferenceTest {

    @Test
    void degradeReproducesReferenceLr() {
        Path root = ReferenceData.root();
        List<String> names = ReferenceData.names();
        assertEquals(root.equals(ReferenceData.SHARED) ? 8 : 1, names.size());
        for (String name : names) {
            Image hr = ImageReading.read(root.resolve("hr/" + name + ".png"));
            Image ref = ImageReading.read(root.resolve("lr/" + name + ".png"));
            Image lr = Degradation.degrade(hr, 4);
            assertEquals(ref.width(), lr.width(), name);
            assertEquals(ref.height(), lr.height(), name);
            int maxDiff = 0;
            long sumDiff = 0;
            long count = 0;
            for (int c = 0; c < 3; c++) {
                float[] a = lr.plane(c);
                float[] b = ref.plane(c);
                for (int i = 0; i < a.length; i++) {
                    int d = Math.abs(Image.to8(a[i]) - Image.to8(b[i]));
                    maxDiff = Math.max(maxDiff, d);
                    sumDiff += d;
                    count++;
                }
            }
            double mean = (double) sumDiff / count;
            assertTrue(maxDiff <= 1, name + ": max diff " + maxDiff);
            assertTrue(mean < 0.05, name + ": mean abs diff " + mean);
        }
    }
}
