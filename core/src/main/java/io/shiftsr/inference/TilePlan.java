package io.shiftsr.inference;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the tiles go along one axis of the latent, and how much each latent pixel of a tile counts when
 * overlapping tiles are blended. Starts are multiples of {@code align} so every tile sees the same 8x8
 * DCT block grid and downsampling phase as the whole image would.
 */
public final class TilePlan {
    final int size;
    final int tile;
    final int overlap;
    final int[] starts;

    private TilePlan(int size, int tile, int overlap, int[] starts) {
        this.size = size;
        this.tile = tile;
        this.overlap = overlap;
        this.starts = starts;
    }

    /**
     * @param size    latent length, a multiple of align
     * @param tile    wanted tile length (rounded down to align, at least align)
     * @param overlap wanted overlap (rounded up to align)
     */
    public static TilePlan of(int size, int tile, int overlap, int align) {
        tile = Math.max(align, tile / align * align);
        if (tile >= size) {
            return new TilePlan(size, size, 0, new int[] {0});
        }
        overlap = Math.min((overlap + align - 1) / align * align, tile - align);
        int stride = tile - overlap;
        List<Integer> s = new ArrayList<>();
        for (int p = 0; ; p += stride) {
            if (p + tile >= size) {
                s.add(size - tile);
                break;
            }
            s.add(p);
        }
        return new TilePlan(size, tile, overlap, s.stream().mapToInt(Integer::intValue).toArray());
    }

    public int count() {
        return starts.length;
    }

    /**
     * Blend weight of position {@code i} (0-based) inside tile {@code k}. Sides that meet another tile ramp
     * from 0 to 1 across the middle half of the overlap (raised cosine); the outer quarter gets weight 0
     * because the network sees the tile border there, so with enough overlap the blended result equals
     * the untiled one. Image borders get full weight.
     */
    public double weight(int k, int i) {
        double w = 1;
        if (overlap == 0) {
            return w;
        }
        if (k > 0) {
            w *= ramp(i);
        }
        if (k < starts.length - 1) {
            w *= ramp(tile - 1 - i);
        }
        return w;
    }

    private double ramp(int d) {
        double margin = overlap / 4.0;
        double width = overlap / 2.0;
        double x = (d + 0.5 - margin) / width;
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        double s = Math.sin(Math.PI / 2 * x);
        return s * s;
    }
}
