package io.shiftsr.inference;

import io.shiftsr.diffusion.Denoiser;
import io.shiftsr.diffusion.ResidualShiftProcess;
import io.shiftsr.engine.Engine;
import io.shiftsr.engine.Rng;
import io.shiftsr.engine.Scope;
import io.shiftsr.engine.Tensor;
import io.shiftsr.image.Image;
import io.shiftsr.image.MatlabBicubic;
import io.shiftsr.model.ShiftSrModel;
import io.shiftsr.upscale.Upscaler;
import java.util.function.IntConsumer;

/**
 * Upscales an image with a ShiftSR model: y0 = MATLAB bicubic to the output size (DESIGN.md section 2),
 * into the latent, reverse chain tile by tile, back to pixels, blended. Any scale 1 < s <= 4.
 * Gray images run as RGB and come back gray; alpha is the caller's business (the CLI resizes it).
 */
public final class DiffusionUpscaler implements Upscaler {
    /** Rough count of tile-sized float activations alive at once in a forward pass, per base channel. */
    private static final double ACTIVATION_FACTOR = 24;

    private final ShiftSrModel model;
    private final UpscaleOptions options;

    public DiffusionUpscaler(ShiftSrModel model, UpscaleOptions options) {
        this.model = model;
        this.options = options;
    }

    /** Tile side in latent pixels that keeps one forward pass within the memory budget. */
    public int autoTile() {
        int align = model.latentMultiple();
        double bytesPerLatentPixel = 4.0 * model.net().config().width() * ACTIVATION_FACTOR;
        int side = (int) Math.sqrt(options.maxMemoryBytes() / bytesPerLatentPixel);
        return Math.max(align, Math.min(512, side / align * align));
    }

    /** The tile plans for an output of outW x outH, exposed for progress reporting. */
    public int tileCount(int outW, int outH) {
        Geometry g = new Geometry(outW, outH);
        return g.cols.count() * g.rows.count();
    }

    @Override
    public Image upscale(Image lr, double scale) {
        return upscale(lr, scale, null);
    }

    /** As {@link #upscale(Image, double)}, calling {@code onNetworkCall} after every network evaluation. */
    public Image upscale(Image lr, double scale, IntConsumer onNetworkCall) {
        if (!(scale > 1 && scale <= 4)) {
            throw new IllegalArgumentException("scale must be in (1, 4], got " + scale);
        }
        int outW = MatlabBicubic.outputSize(lr.width(), scale);
        int outH = MatlabBicubic.outputSize(lr.height(), scale);
        Image rgb = lr.toRgb().withoutAlpha();
        Image y0 = MatlabBicubic.resize(rgb, outW, outH, scale);
        float[][] out = run(y0, (double) outW / lr.width(), onNetworkCall);
        Image result = lr.isGray() ? Image.of(outW, outH, averageOf(out)) : Image.of(outW, outH, out);
        return result.withSourceBitDepth(lr.sourceBitDepth());
    }

    /** Output-space geometry: padded size and tiles in latent pixels. */
    private final class Geometry {
        final int padW, padH, factor;
        final TilePlan cols, rows;

        Geometry(int outW, int outH) {
            factor = model.codec().factor();
            int unit = factor * model.latentMultiple();
            padW = (outW + unit - 1) / unit * unit;
            padH = (outH + unit - 1) / unit * unit;
            int tile = options.tile() > 0 ? options.tile() : autoTile();
            int overlap = options.overlap() >= 0 ? options.overlap() : Math.max(model.latentMultiple(), tile / 4);
            cols = TilePlan.of(padW / factor, tile, overlap, model.latentMultiple());
            rows = TilePlan.of(padH / factor, tile, overlap, model.latentMultiple());
        }
    }

    /** Runs the chain on y0 (3 planes in [0,1]) and returns 3 planes in [0,1] of the same size. */
    private float[][] run(Image y0, double scale, IntConsumer onNetworkCall) {
        int w = y0.width(), h = y0.height();
        Geometry g = new Geometry(w, h);
        int f = g.factor;
        float[][] acc = new float[3][w * h];
        float[] wsum = new float[w * h];
        ResidualShiftProcess process = model.process(options.kappa());
        Denoiser denoiser = model.denoiser(scale);
        int tileIndex = 0;
        try (Engine.GradGuard noGrad = Engine.gradDisabled()) {
            for (int ty = 0; ty < g.rows.count(); ty++) {
                for (int tx = 0; tx < g.cols.count(); tx++, tileIndex++) {
                    int lx = g.cols.starts[tx], ly = g.rows.starts[ty];
                    int tw = g.cols.tile, th = g.rows.tile;
                    try (Scope scope = Scope.open()) {
                        Tensor pixels = Tensor.of(extract(y0, lx * f, ly * f, tw * f, th * f), 1, 3, th * f, tw * f);
                        Tensor cond = model.codec().encode(pixels.mul(2).add(-1));
                        Rng rng = Rng.derive(options.seed(), tileIndex);
                        Tensor x0 = process.sample(denoiser, cond, options.steps(), rng, onNetworkCall == null ? null
                                : i -> onNetworkCall.accept(1));
                        float[] tileOut = model.codec().decode(x0).add(1).mul(0.5).toFloatArray();
                        blend(tileOut, acc, wsum, g, tx, ty, w, h);
                    }
                }
            }
        }
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < w * h; i++) {
                acc[c][i] = Math.min(1f, Math.max(0f, acc[c][i] / wsum[i]));
            }
        }
        return acc;
    }

    /** Copies a region of y0, mirroring past the right and bottom edges (the padding). */
    private static float[] extract(Image y0, int x0, int y0px, int tw, int th) {
        int w = y0.width(), h = y0.height();
        float[] out = new float[3 * tw * th];
        for (int c = 0; c < 3; c++) {
            float[] p = y0.plane(c);
            for (int y = 0; y < th; y++) {
                int sy = mirror(y0px + y, h);
                int row = sy * w;
                int base = (c * th + y) * tw;
                for (int x = 0; x < tw; x++) {
                    out[base + x] = p[row + mirror(x0 + x, w)];
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

    private static void blend(float[] tile, float[][] acc, float[] wsum, Geometry g, int tx, int ty, int w, int h) {
        int f = g.factor;
        int tw = g.cols.tile * f, th = g.rows.tile * f;
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
            for (int x = 0; x < tw; x++) {
                int ox = px0 + x;
                if (ox >= w) {
                    break;
                }
                float wt = (float) (wy * wx[x]);
                if (wt == 0) {
                    continue;
                }
                int o = oy * w + ox;
                for (int c = 0; c < 3; c++) {
                    acc[c][o] += wt * tile[(c * th + y) * tw + x];
                }
                wsum[o] += wt;
            }
        }
    }

    private static float[] averageOf(float[][] planes) {
        float[] g = new float[planes[0].length];
        for (int i = 0; i < g.length; i++) {
            g[i] = (planes[0][i] + planes[1][i] + planes[2][i]) / 3f;
        }
        return g;
    }
}
