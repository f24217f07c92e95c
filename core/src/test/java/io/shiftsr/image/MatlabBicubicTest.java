package io.shiftsr.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Output sizes and basic invariants of the resizer, up and down, odd sizes. */
class MatlabBicubicTest {

    private static Image random(int w, int h, long seed) {
        return TestImages.noise(w, h, seed);
    }

    @Test
    void outputSizesAreCeilOfScaledSize() {
        assertEquals(21, MatlabBicubic.resize(random(7, 5, 1), 3).width());
        assertEquals(15, MatlabBicubic.resize(random(7, 5, 1), 3).height());
        Image down = MatlabBicubic.resize(random(13, 9, 2), 0.5);
        assertEquals(7, down.width());
        assertEquals(5, down.height());
        Image odd = MatlabBicubic.resize(random(11, 3, 3), 2.5);
        assertEquals(28, odd.width());
        assertEquals(8, odd.height());
        // 300 * (1/3) must be 100, not 101 from floating-point noise.
        assertEquals(100, MatlabBicubic.outputSize(300, 1.0 / 3));
        Image explicit = MatlabBicubic.resize(random(10, 10, 4), 17, 3, -1);
        assertEquals(17, explicit.width());
        assertEquals(3, explicit.height());
    }

    @Test
    void constantImageStaysConstant() {
        float[] p = new float[9 * 7];
        java.util.Arrays.fill(p, 0.37f);
        for (double s : new double[] {0.25, 0.5, 1.0 / 3, 1.7, 4}) {
            Image out = MatlabBicubic.resize(Image.of(9, 7, p), s);
            for (float v : out.plane(0)) {
                assertEquals(0.37f, v, 1e-6f, "scale " + s);
            }
        }
    }

    @Test
    void scaleOneIsIdentity() {
        Image img = random(6, 5, 5);
        Image out = MatlabBicubic.resize(img, 1);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 30; i++) {
                assertEquals(img.plane(c)[i], out.plane(c)[i], 1e-6f);
            }
        }
    }

    /**
     * The resize against the two passes written out pixel by pixel (double sums in tap order, MATLAB's axis order),
     * bit for bit: the blocked, transposed width pass must add the same products in the same order. Heights that
     * are not a multiple of the row block, upscaling (height first) and shrinking more across (width first).
     */
    @Test
    void resizeIsThePlainTwoPassSumBitForBit() {
        int[][] cases = {{37, 23, 148, 92}, {50, 41, 125, 103}, {64, 64, 16, 16}, {90, 30, 30, 20}, {17, 40, 9, 35}};
        for (int[] k : cases) {
            int w = k[0], h = k[1], outW = k[2], outH = k[3];
            float[] plane = random(w, h, 11).plane(0);
            double sx = (double) outW / w, sy = (double) outH / h;
            MatlabBicubic.Contributions cx = MatlabBicubic.contributions(w, outW, sx);
            MatlabBicubic.Contributions cy = MatlabBicubic.contributions(h, outH, sy);
            float[] got = MatlabBicubic.resizePlane(plane, w, h, outW, outH);
            double[][] mid;
            float[] expected = new float[outW * outH];
            if (sy <= sx) { // heights first
                mid = new double[outH][w];
                for (int i = 0; i < outH; i++) {
                    for (int t = 0; t < cy.taps; t++) {
                        double wt = cy.weight[i * cy.taps + t];
                        for (int x = 0; wt != 0 && x < w; x++) {
                            mid[i][x] += wt * plane[cy.index[i * cy.taps + t] * w + x];
                        }
                    }
                }
                for (int i = 0; i < outH; i++) {
                    for (int j = 0; j < outW; j++) {
                        double acc = 0;
                        for (int t = 0; t < cx.taps; t++) {
                            acc += cx.weight[j * cx.taps + t] * mid[i][cx.index[j * cx.taps + t]];
                        }
                        expected[i * outW + j] = (float) acc;
                    }
                }
            } else { // widths first
                mid = new double[h][outW];
                for (int y = 0; y < h; y++) {
                    for (int j = 0; j < outW; j++) {
                        double acc = 0;
                        for (int t = 0; t < cx.taps; t++) {
                            acc += cx.weight[j * cx.taps + t] * plane[y * w + cx.index[j * cx.taps + t]];
                        }
                        mid[y][j] = acc;
                    }
                }
                for (int i = 0; i < outH; i++) {
                    for (int j = 0; j < outW; j++) {
                        double acc = 0;
                        for (int t = 0; t < cy.taps; t++) {
                            double wt = cy.weight[i * cy.taps + t];
                            acc += wt == 0 ? 0 : wt * mid[cy.index[i * cy.taps + t]][j];
                        }
                        expected[i * outW + j] = (float) acc;
                    }
                }
            }
            for (int i = 0; i < expected.length; i++) {
                assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(got[i]),
                        java.util.Arrays.toString(k) + " pixel " + i);
            }
        }
    }

    @Test
    void weightMatrixEqualsTheSeparableResize() {
        int w = 13;
        int h = 9;
        double scale = 0.25;
        Image img = random(w, h, 6);
        Image out = MatlabBicubic.resize(img, scale);
        float[][] wy = MatlabBicubic.weightMatrix(h, out.height(), scale);
        float[][] wx = MatlabBicubic.weightMatrix(w, out.width(), scale);
        for (float[] row : wy) {
            double sum = 0;
            for (float v : row) {
                sum += v;
            }
            assertEquals(1.0, sum, 1e-6);
        }
        float[] p = img.plane(1);
        for (int oy = 0; oy < out.height(); oy++) {
            for (int ox = 0; ox < out.width(); ox++) {
                double acc = 0;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        acc += wy[oy][y] * wx[ox][x] * p[y * w + x];
                    }
                }
                assertEquals(out.plane(1)[oy * out.width() + ox], acc, 1e-5);
            }
        }
    }

    @Test
    void degradeModCropsIntegerScales() {
        Image lr = Degradation.degrade(random(50, 31, 7), 4);
        assertEquals(12, lr.width());
        assertEquals(7, lr.height());
        assertEquals(48, Degradation.modCrop(random(50, 31, 7), 4).width());
        assertEquals(28, Degradation.modCrop(random(50, 31, 7), 4).height());
    }

    @org.junit.jupiter.api.Test
    void aBandOfRowsIsBitForBitTheSameAsTheWholeResize() {
        Image img = random(37, 29, 9);
        for (double scale : new double[] {4, 2.5, 3, 0.5}) {
            int w = MatlabBicubic.outputSize(37, scale), h = MatlabBicubic.outputSize(29, scale);
            Image whole = MatlabBicubic.resize(img, w, h, scale);
            for (int[] r : new int[][] {{0, 1}, {0, h}, {3, 11}, {h - 5, h}}) {
                Image band = MatlabBicubic.resizeRows(img, w, h, scale, r[0], r[1]);
                for (int c = 0; c < 3; c++) {
                    float[] expected = java.util.Arrays.copyOfRange(whole.plane(c), r[0] * w, r[1] * w);
                    org.junit.jupiter.api.Assertions.assertArrayEquals(expected, band.plane(c),
                            "scale " + scale + " rows " + r[0] + ".." + r[1]);
                }
            }
        }
    }

    /** Bands of 64K output pixels or more are made in parts on every core (2 here and in CI): the same bits. */
    @org.junit.jupiter.api.Test
    void aBandMadeOnEveryCoreIsBitForBitTheSameAsTheWholeResize() {
        Image img = random(203, 97, 3);
        for (double scale : new double[] {4, 2.5}) {
            int w = MatlabBicubic.outputSize(203, scale), h = MatlabBicubic.outputSize(97, scale);
            Image whole = MatlabBicubic.resize(img, w, h, scale);
            for (int[] r : new int[][] {{0, h}, {7, h - 3}}) {
                org.junit.jupiter.api.Assertions.assertTrue((long) w * (r[1] - r[0]) >= 64 * 1024, "a band large enough to split");
                Image band = MatlabBicubic.resizeRows(img, w, h, scale, r[0], r[1]);
                for (int c = 0; c < 3; c++) {
                    float[] expected = java.util.Arrays.copyOfRange(whole.plane(c), r[0] * w, r[1] * w);
                    org.junit.jupiter.api.Assertions.assertArrayEquals(expected, band.plane(c),
                            "scale " + scale + " rows " + r[0] + ".." + r[1]);
                }
            }
        }
    }
}
