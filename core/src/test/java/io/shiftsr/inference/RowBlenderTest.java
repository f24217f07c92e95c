package io.shiftsr.inference;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The blender's rows: one tile's short cut gives the bits the weighted sums gave. */
class RowBlenderTest {
    @Test
    void oneTileGivesTheSameBitsAsTheWeightedSum() {
        int w = 37, h = 29;
        TileLayout g = new TileLayout(w, h, 4, 2, 64, 16); // one tile of 64 latent pixels over a 10x8 latent
        assertEquals(1, g.cols.count());
        assertEquals(1, g.rows.count());
        int tw = g.cols.tile * g.factor, th = g.rows.tile * g.factor;
        float[] tile = new float[3 * tw * th];
        Random r = new Random(5);
        for (int i = 0; i < tile.length; i++) {
            tile[i] = switch (i % 97) {
                case 0 -> -0f;
                case 1 -> 1.5f;
                case 2 -> -0.25f;
                default -> r.nextFloat();
            };
        }
        List<float[][]> rows = new ArrayList<>();
        RowBlender b = new RowBlender(w, h, rows::add);
        b.add(tile, g, 0, 0);
        b.flushBefore(h);
        assertEquals(h, rows.size());
        for (int y = 0; y < h; y++) {
            for (int c = 0; c < 3; c++) {
                for (int x = 0; x < w; x++) {
                    // what the general path computes: the sum 0 + weight * v over the one tile, over the weight
                    float wt = (float) (g.rows.weight(0, y / g.factor) * g.cols.weight(0, x / g.factor));
                    float sum = 0f + wt * tile[(c * th + y) * tw + x];
                    float expected = Math.min(1f, Math.max(0f, sum / (0f + wt)));
                    assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(rows.get(y)[c][x]),
                            "row " + y + " plane " + c + " column " + x);
                }
            }
        }
        assertThrows(IllegalStateException.class, () -> b.row(0), "the rows were handed out");
    }
}
