package io.shiftsr.inference;

import io.shiftsr.sr.Sampling;
import io.shiftsr.diffusion.Denoiser;
import io.shiftsr.diffusion.ResidualShiftProcess;
import io.shiftsr.engine.Engine;
import io.shiftsr.engine.Rng;
import io.shiftsr.engine.Scope;
import io.shiftsr.engine.Tensor;
import io.shiftsr.image.Image;
import io.shiftsr.image.MatlabBicubic;
import io.shiftsr.io.StageClock;
import io.shiftsr.io.StageClock.Stage;
import io.shiftsr.sr.DegradationLevel;
import io.shiftsr.sr.ShiftSrModel;
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
    private final Sampling options;

    public DiffusionUpscaler(ShiftSrModel model, Sampling options) {
        this.model = model;
        this.options = options;
    }

    /** The tiles of an output of outW x outH at this sampling's tile size and overlap. */
    private TileLayout layout(int outW, int outH) {
        int tile = options.tile() > 0 ? options.tile() : autoTile();
        int overlap = options.overlap() >= 0 ? options.overlap() : Math.max(model.latentMultiple(), tile / 4);
        return new TileLayout(outW, outH, model.codec().factor(), model.latentMultiple(), tile, overlap);
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
        TileLayout g = layout(outW, outH);
        return g.cols.count() * g.rows.count();
    }

    @Override
    public Image upscale(Image lr, double scale) {
        return upscale(lr, scale, null);
    }

    /** As {@link #upscale(Image, double)}, calling {@code onNetworkCall} after every network evaluation. */
    public Image upscale(Image lr, double scale, IntConsumer onNetworkCall) {
        return rows(lr, scale, reading(lr), onNetworkCall, null).toImage();
    }

    /**
     * What this sampling tells the model about {@code lr}'s degradation ({@link Sampling#denoise}): the level, and
     * for auto what it was read from; null for a model that is not told one.
     */
    public DegradationLevel.Reading reading(Image lr) {
        return model.degradationAware() ? options.denoise().read(lr) : null;
    }

    /**
     * Upscales band by band, driven by whoever reads the rows (e.g. a PNG encoder): y0 is made for one row of
     * tiles at a time and rows are handed out as soon as no later tile overlaps them, so memory stays bounded
     * by a band, not the output (a 6000x4000 photo at x4 is 384 MP). Gray inputs run as RGB and come out gray.
     * The model is told {@code told}'s level ({@link #reading}, perhaps of the whole photo {@code lr} is cut from;
     * null: 0), and {@code clock} (null: not timed) times the stages.
     */
    public RowStream rows(Image lr, double scale, DegradationLevel.Reading told, IntConsumer onNetworkCall,
            StageClock clock) {
        Sampling.checkScale(scale);
        return new RowStream(lr, scale, told == null ? 0 : told.level(), onNetworkCall, clock);
    }

    /** The output rows of one upscale, computed a row of tiles at a time as they are asked for. */
    public final class RowStream {
        private final Image source, rgb;
        private final boolean gray;
        private final double scale;
        private final IntConsumer onNetworkCall;
        private final StageClock clock; // null: not timed
        private final int w, h;
        private final TileLayout g;
        private final ResidualShiftProcess process;
        private final Denoiser denoiser;
        private final java.util.ArrayDeque<float[][]> ready = new java.util.ArrayDeque<>();
        private final RowBlender blender;
        private int nextTileRow, nextRow;

        private RowStream(Image lr, double scale, float level, IntConsumer onNetworkCall, StageClock clock) {
            this.clock = clock;
            this.source = lr;
            this.rgb = lr.toRgb().withoutAlpha();
            this.gray = lr.isGray();
            this.scale = scale;
            this.onNetworkCall = onNetworkCall;
            this.w = MatlabBicubic.outputSize(lr.width(), scale);
            this.h = MatlabBicubic.outputSize(lr.height(), scale);
            this.g = layout(w, h);
            this.process = model.process(options.kappa());
            this.denoiser = model.denoiser((double) w / lr.width(), level);
            this.blender = new RowBlender(w, h, ready::addLast);
        }

        public int width() {
            return w;
        }

        public int height() {
            return h;
        }

        /** Every row, as one image (its metadata the input's). */
        public Image toImage() {
            float[][] out = new float[channels()][Math.multiplyExact(w, h)];
            for (int y = 0; y < h; y++) {
                float[][] row = row(y);
                for (int c = 0; c < out.length; c++) {
                    System.arraycopy(row[c], 0, out[c], y * w, w);
                }
            }
            return Image.of(w, h, out).withSourceOf(source);
        }

        /** Planes per row: 1 for a gray input, else 3. */
        public int channels() {
            return gray ? 1 : 3;
        }

        /** Row y as R, G, B planes (or one gray plane) in [0, 1]; rows must be asked for in order, each once. */
        public float[][] row(int y) {
            if (y != nextRow) {
                throw new IllegalStateException("rows come in order: expected " + nextRow + ", asked " + y);
            }
            while (ready.isEmpty()) {
                advance();
            }
            nextRow++;
            float[][] rgbRow = ready.pollFirst();
            return gray ? new float[][] {averageOf(rgbRow)} : rgbRow;
        }

        /** Adds the time since {@code t0} to {@code stage} when timed; returns now. */
        private long time(Stage stage, long t0) {
            return clock == null ? t0 : clock.stop(stage, t0);
        }

        /** Runs the next row of tiles and releases the rows it finishes. */
        private void advance() {
            int ty = nextTileRow++;
            int f = g.factor;
            int py0 = g.rows.starts[ty] * f, th = g.rows.tile * f;
            // y0 rows this tile row reads (rows past the bottom are mirrored back into the image).
            int lo = Integer.MAX_VALUE, hi = 0;
            for (int y = 0; y < th; y++) {
                int m = TileLayout.mirror(py0 + y, h);
                lo = Math.min(lo, m);
                hi = Math.max(hi, m);
            }
            long t = StageClock.start();
            Image band = MatlabBicubic.resizeRows(rgb, w, h, scale, lo, hi + 1);
            t = time(Stage.Y0, t);
            try (Engine.GradGuard noGrad = Engine.gradDisabled()) {
                for (int tx = 0; tx < g.cols.count(); tx++) {
                    int tileIndex = ty * g.cols.count() + tx;
                    int lx = g.cols.starts[tx], tw = g.cols.tile;
                    try (Scope scope = Scope.open()) {
                        t = StageClock.start();
                        float[] px = TileLayout.extract(band, lo, h, lx * f, py0, tw * f, th);
                        time(Stage.TILES, t);
                        float[] tileOut = upscaleTile(Tensor.of(px, 1, 3, th, tw * f), tileIndex);
                        t = StageClock.start();
                        toPixels(tileOut);
                        blender.add(tileOut, g, tx, ty);
                        time(Stage.BLEND, t);
                    }
                }
            }
            int done = ty + 1 < g.rows.count() ? g.rows.starts[ty + 1] * f : h;
            blender.flushBefore(Math.min(done, h));
        }

        /**
         * One tile, y0 in [-1, 1] to the network's estimate in [-1, 1]: the reverse chain in the latent, once per
         * self-ensemble member on the turned tile, turned back and averaged (DESIGN.md section 10).
         */
        private float[] upscaleTile(Tensor y0, int tileIndex) {
            long t = StageClock.start();
            int members = options.ensemble();
            Tensor sum = null;
            for (int k = 0; k < members; k++) {
                // a scope per member: its turned copies, latents and decoded tile go before the next member runs
                try (Scope scope = Scope.open()) {
                    Tensor turned = GeometricEnsemble.forward(y0, k);
                    t = time(Stage.TILES, t);
                    Tensor cond = model.codec().encode(turned);
                    t = time(Stage.LATENT, t);
                    // member 0 keeps the noise stream it had before ensembles existed
                    Rng rng = Rng.derive(options.seed(), k == 0 ? tileIndex : tileIndex ^ ((long) k << 40));
                    Tensor x0 = process.sample(denoiser, cond, options.steps(), rng,
                            onNetworkCall == null ? null : i -> onNetworkCall.accept(1));
                    t = time(Stage.NETWORK, t);
                    Tensor decoded = model.codec().decode(x0);
                    t = time(Stage.LATENT, t);
                    Tensor member = GeometricEnsemble.inverse(decoded, k);
                    sum = (sum == null ? member : sum.add(member)).keep();
                }
            }
            float[] out = (members == 1 ? sum : sum.mul(1.0 / members)).toFloatArray();
            time(Stage.TILES, t);
            return out;
        }
    }

    /**
     * The network's [-1, 1] back to pixels in [0, 1], in place ((v + 1) / 2 in float, as the tensor ops it
     * replaces rounded it). A model that overflows (weights near the float16 limit, an absurd kappa) gives NaN or
     * Inf, which would be written as a black image and exit 0: refused instead.
     */
    private static void toPixels(float[] values) {
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("the model produced non-finite values (NaN or Inf): the model file"
                        + " or --kappa is unusable; nothing written");
            }
            values[i] = (v + 1f) * 0.5f;
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
