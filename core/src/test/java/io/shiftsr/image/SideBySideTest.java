package io.shiftsr.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SideBySideTest {
    private static final int L = SideBySide.LABEL_HEIGHT;

    private static Image solid(int w, int h, int r, int g, int b) {
        float[][] p = new float[3][w * h];
        Arrays.fill(p[0], r / 255f);
        Arrays.fill(p[1], g / 255f);
        Arrays.fill(p[2], b / 255f);
        return Image.of(w, h, p);
    }

    private static int[] rgbAt(Image img, int x, int y) {
        int i = y * img.width() + x;
        return new int[] {Image.to8(img.plane(0)[i]), Image.to8(img.plane(1)[i]), Image.to8(img.plane(2)[i])};
    }

    private static final int[] BG = {0x30, 0x30, 0x30};

    @Test
    void rowSizeAndPixelOffsets() {
        Image a = solid(10, 20, 255, 0, 0);
        Image b = solid(30, 12, 0, 200, 51);
        float[] g = new float[5 * 8];
        Arrays.fill(g, 0.6f); // gray input: replicated to RGB
        Image c = Image.of(5, 8, g);
        Image out = SideBySide.row(List.of(a, b, c), List.of("LR", "SR", "HR"), 4);
        assertEquals(3, out.channels());
        assertEquals(10 + 30 + 5 + 2 * 4, out.width());
        assertEquals(20 + L, out.height());

        assertArrayEquals(new int[] {255, 0, 0}, rgbAt(out, 0, L));
        assertArrayEquals(new int[] {255, 0, 0}, rgbAt(out, 9, L + 19));
        assertArrayEquals(BG, rgbAt(out, 10, L)); // gap
        assertArrayEquals(BG, rgbAt(out, 13, L + 5));
        assertArrayEquals(new int[] {0, 200, 51}, rgbAt(out, 14, L));
        assertArrayEquals(new int[] {0, 200, 51}, rgbAt(out, 43, L + 11));
        assertArrayEquals(BG, rgbAt(out, 14, L + 12)); // below the shorter image: top-aligned
        assertArrayEquals(new int[] {153, 153, 153}, rgbAt(out, 48, L));
        assertArrayEquals(new int[] {153, 153, 153}, rgbAt(out, 52, L + 7));
        assertArrayEquals(BG, rgbAt(out, 52, L + 8));
    }

    @Test
    void labelsAreDrawnInTheStrip() {
        Image out = SideBySide.row(List.of(solid(80, 10, 0, 0, 0)), List.of("bicubic"), 0);
        boolean bright = false;
        for (int y = 0; y < L; y++) {
            for (int x = 0; x < 80; x++) {
                bright |= rgbAt(out, x, y)[0] > 0x80;
            }
        }
        assertTrue(bright, "label text visible");
        assertArrayEquals(BG, rgbAt(out, 0, 0));
    }

    @Test
    void noLabelsNoStrip() {
        Image out = SideBySide.row(List.of(solid(3, 4, 10, 20, 30), solid(2, 2, 40, 50, 60)), null, 1);
        assertEquals(6, out.width());
        assertEquals(4, out.height());
        assertArrayEquals(new int[] {10, 20, 30}, rgbAt(out, 0, 0));
        assertArrayEquals(BG, rgbAt(out, 3, 0));
        assertArrayEquals(new int[] {40, 50, 60}, rgbAt(out, 4, 1));
    }

    @Test
    void gridDimensionsAndCells() {
        List<List<Image>> rows = List.of(
                List.of(solid(10, 10, 255, 0, 0), solid(20, 5, 0, 255, 0)),
                List.of(solid(12, 7, 0, 0, 255), solid(4, 4, 255, 255, 255)));
        Image out = SideBySide.grid(rows, List.of("a", "b"), 3);
        // columns 12 and 20 wide, rows 10 and 7 tall
        assertEquals(12 + 3 + 20, out.width());
        assertEquals(L + 10 + 3 + 7, out.height());
        assertArrayEquals(new int[] {255, 0, 0}, rgbAt(out, 0, L));
        assertArrayEquals(BG, rgbAt(out, 10, L)); // narrower than its column
        assertArrayEquals(new int[] {0, 255, 0}, rgbAt(out, 15, L));
        assertArrayEquals(new int[] {0, 0, 255}, rgbAt(out, 0, L + 13));
        assertArrayEquals(new int[] {0, 0, 255}, rgbAt(out, 11, L + 19));
        assertArrayEquals(new int[] {255, 255, 255}, rgbAt(out, 15, L + 13));
        assertArrayEquals(BG, rgbAt(out, 15, L + 12)); // row gap
        Image noLabels = SideBySide.grid(rows, null, 0);
        assertEquals(32, noLabels.width());
        assertEquals(17, noLabels.height());
    }

    @Test
    void gridRejectsRaggedRowsAndWrongLabelCount() {
        Image x = solid(2, 2, 0, 0, 0);
        assertThrows(IllegalArgumentException.class,
                () -> SideBySide.grid(List.of(List.of(x, x), List.of(x)), null, 0));
        assertThrows(IllegalArgumentException.class, () -> SideBySide.row(List.of(x, x), List.of("one"), 0));
        assertThrows(IllegalArgumentException.class, () -> SideBySide.row(List.of(), null, 0));
    }

    @Test
    void zoomNearestIsExact() {
        float[] p = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f}; // 3x2
        Image z = SideBySide.zoomNearest(Image.of(3, 2, p), 3);
        assertEquals(9, z.width());
        assertEquals(6, z.height());
        assertEquals(1, z.channels());
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 9; x++) {
                assertEquals(p[(y / 3) * 3 + x / 3], z.plane(0)[y * 9 + x], "at " + x + "," + y);
            }
        }
        Image rgb = solid(2, 2, 1, 2, 3);
        assertTrue(SideBySide.zoomNearest(rgb, 1).sameContent(rgb));
        assertThrows(IllegalArgumentException.class, () -> SideBySide.zoomNearest(rgb, 0));
    }
}
