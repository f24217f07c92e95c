package io.shiftsr.inference;

import io.shiftsr.image.Image;

/**
 * Where the tiles of one upscale lie (DESIGN.md section 10): the output padded to the latent's size multiple,
 * cut into overlapping tiles of latent pixels along each axis ({@link TilePlan}), and the y0 pixels a tile reads,
 * mirrored past the image's right and bottom edges. Knows nothing of the network or of blending.
 */
final class TileLayout {
    final int padW, padH, factor;
    final TilePlan cols, rows;

    /**
     * @param factor   pixels per latent pixel (the codec's)
     * @param multiple latent sizes must be multiples of this (the network's)
     * @param tile     tile side in latent pixels
     * @param overlap  overlap between tiles in latent pixels
     */
    TileLayout(int outW, int outH, int factor, int multiple, int tile, int overlap) {
        this.factor = factor;
        int unit = factor * multiple;
        padW = (outW + unit - 1) / unit * unit;
        padH = (outH + unit - 1) / unit * unit;
        cols = TilePlan.of(padW / factor, tile, overlap, multiple);
        rows = TilePlan.of(padH / factor, tile, overlap, multiple);
    }

    /**
     * Copies a region of y0 from a band holding its rows {@code bandTop}.., mirroring past the right and bottom
     * edges of the full h-row image (the padding), as the network's input: pixels in [0, 1] mapped to [-1, 1]
     * (2p - 1, in float as the tensor ops it replaces rounded it).
     */
    static float[] extract(Image band, int bandTop, int h, int x0, int y0px, int tw, int th) {
        int w = band.width();
        float[] out = new float[3 * tw * th];
        int inside = Math.max(0, Math.min(tw, w - x0)); // columns x0.. that need no mirroring
        for (int c = 0; c < 3; c++) {
            float[] p = band.plane(c);
            for (int y = 0; y < th; y++) {
                int sy = mirror(y0px + y, h) - bandTop;
                int row = sy * w + x0;
                int base = (c * th + y) * tw;
                for (int x = 0; x < inside; x++) {
                    out[base + x] = p[row + x] * 2f - 1f;
                }
                for (int x = inside; x < tw; x++) {
                    out[base + x] = p[sy * w + mirror(x0 + x, w)] * 2f - 1f;
                }
            }
        }
        return out;
    }

    static int mirror(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * n - 2;
        i = Math.floorMod(i, period);
        return i < n ? i : period - i;
    }
}
