package io.shiftsr.inference;

/**
 * The weighted sums of the output rows still open to tiles: R, G, B and weight per row. Each tile is added with
 * the weights of its {@link TileLayout} (seam-free: the weights ramp across the overlaps); rows are made when a
 * tile first touches them and leave, normalised, when {@link #flushBefore} says no later tile will.
 */
final class RowBlender {
    private final int w, h;
    private final java.util.function.Consumer<float[][]> out;
    private final java.util.ArrayList<float[]> open = new java.util.ArrayList<>();
    private int first; // output row of open.get(0)

    /** Rows of an output w pixels wide and h high, handed to {@code out} as R, G, B planes in [0, 1]. */
    RowBlender(int w, int h, java.util.function.Consumer<float[][]> out) {
        this.w = w;
        this.h = h;
        this.out = out;
    }

    float[] row(int y) {
        if (y < first) {
            throw new IllegalStateException("row " + y + " was already written");
        }
        while (first + open.size() <= y) {
            open.add(new float[4 * w]);
        }
        return open.get(y - first);
    }

    void flushBefore(int y) {
        if (y - first > open.size()) {
            throw new IllegalStateException("row " + (first + open.size()) + " got no tile");
        }
        for (float[] r : open.subList(0, y - first)) {
            float[][] rgb = new float[3][w];
            for (int x = 0; x < w; x++) {
                float wsum = r[3 * w + x];
                for (int c = 0; c < 3; c++) {
                    rgb[c][x] = Math.min(1f, Math.max(0f, r[c * w + x] / wsum));
                }
            }
            out.accept(rgb);
        }
        open.subList(0, Math.max(0, y - first)).clear();
        first = Math.max(first, y);
    }

    /** Adds tile (tx, ty) of {@code g}, its pixels as R, G, B planes of the tile's size, with its weights. */
    void add(float[] tile, TileLayout g, int tx, int ty) {
        int f = g.factor;
        int tw = g.cols.tile * f, th = g.rows.tile * f;
        if (g.cols.count() == 1 && g.rows.count() == 1 && first == 0 && open.isEmpty()) {
            // One tile covers the output with weight 1 everywhere: each sum below would be 0 + 1 * v, divided by a
            // weight of 1, so the rows are the tile's pixels, clamped, the same bits without the sums (the default
            // 256-px photo at x4 is one tile).
            for (int y = 0; y < h; y++) {
                float[][] rgb = new float[3][w];
                for (int c = 0; c < 3; c++) {
                    int at = (c * th + y) * tw;
                    for (int x = 0; x < w; x++) {
                        rgb[c][x] = Math.min(1f, Math.max(0f, tile[at + x]));
                    }
                }
                out.accept(rgb);
            }
            first = h;
            return;
        }
        int px0 = g.cols.starts[tx] * f, py0 = g.rows.starts[ty] * f;
        double[] wx = new double[tw];
        for (int x = 0; x < tw; x++) {
            wx[x] = g.cols.weight(tx, x / f);
        }
        for (int y = 0; y < th; y++) {
            int oy = py0 + y;
            if (oy >= h) {
                break;
            }
            double wy = g.rows.weight(ty, y / f);
            if (wy == 0) {
                continue;
            }
            float[] row = row(oy);
            for (int x = 0; x < tw; x++) {
                int ox = px0 + x;
                if (ox >= w) {
                    break;
                }
                float wt = (float) (wy * wx[x]);
                if (wt == 0) {
                    continue;
                }
                for (int c = 0; c < 3; c++) {
                    row[c * w + ox] += wt * tile[(c * th + y) * tw + x];
                }
                row[3 * w + ox] += wt;
            }
        }
    }
}
