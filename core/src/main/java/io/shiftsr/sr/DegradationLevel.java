package io.shiftsr.sr;

import io.shiftsr.image.Image;
import io.shiftsr.image.ImageMetadata;
import io.shiftsr.image.JpegQuality;

/**
 * The degradation level a model is conditioned on, in [0, 1]: 0 is a clean input (a lossless MATLAB-bicubic
 * shrink, what the model knew before), above 0 an input degraded as real photos are, rising as its last JPEG
 * compression gets stronger. Training sets it from the quality of the last JPEG its pipeline applied; upscaling
 * reads it from the input file's quantization tables ({@link io.shiftsr.image.JpegQuality}) or takes the user's
 * choice.
 */
public final class DegradationLevel {
    /** The lowest level of a degraded input, so that "degraded" never reads as "clean". */
    public static final float MIN_DEGRADED = 0.05f;

    private DegradationLevel() {
    }

    /** Refuses a level outside [0, 1]. */
    public static void check(double level) {
        if (!(level >= 0 && level <= 1)) {
            throw new IllegalArgumentException("degradation level must be in [0, 1], got " + level);
        }
    }

    /** (100 - q) / 70, clamped to [{@link #MIN_DEGRADED}, 1]: q 95 is 0.071, q 30 (the paper's lowest) is 1. */
    public static float ofJpegQuality(int quality) {
        return Math.max(MIN_DEGRADED, Math.min(1f, (100 - quality) / 70f));
    }

    /**
     * The level of an input as its file and pixels describe it: a JPEG's quality read from its tables, or the
     * lower quality its pixels show when it was re-saved milder than an earlier compression ({@link
     * #RESAVE_MARGIN}); a lossy WebP (quality not stored) {@link #LOSSY_DEFAULT}; a lossless file or a decoded
     * image the quality its pixels show ({@link JpegQuality#fromPixels}: the lattice a JPEG leaves its blocks'
     * DCs on), else the blind estimate of {@link #blockiness} (8x8 block edges left by an earlier JPEG), else 0:
     * a clean image.
     */
    public static float ofInput(Image lr) {
        ImageMetadata.Compression c = lr.metadata().compression();
        if (c.lossy() && c.jpegQuality() == 0) {
            return LOSSY_DEFAULT;
        }
        int shown = JpegQuality.fromPixels(lr);
        if (c.jpegQuality() > 0) {
            return ofJpegQuality(shown > 0 && shown < c.jpegQuality() - RESAVE_MARGIN ? shown : c.jpegQuality());
        }
        if (shown > 0) {
            return ofJpegQuality(shown);
        }
        double b = blockiness(lr);
        return b < BLOCKY ? 0f : ofJpegQuality(BLOCKY_QUALITY);
    }

    /**
     * How much lower than its tables' quality a JPEG's pixels must show before they are believed: a JPEG of
     * quality 50 saved again at 90 or 95 keeps the DC lattice of 50 (requantizing a multiple of 16 with a step of
     * 3 or 2 moves it by 1 at most), so its pixels show 50 where its tables say 90 or 95; the pixels of a JPEG
     * saved once give its own quality within the 2-3 qualities that share a DC step (the 12 JPEG files of
     * val-rw, from an independent tool: within 1).
     */
    static final int RESAVE_MARGIN = 5;

    /** The level of a lossy WebP, whose file does not say its quality: that of a JPEG of quality 75. */
    public static final float LOSSY_DEFAULT = ofJpegQuality(75);
    /** Blockiness above which a lossless input is taken to have been a JPEG once. */
    static final double BLOCKY = 1.5;
    /** The quality such an input is treated as. */
    static final int BLOCKY_QUALITY = 60;

    /**
     * How much stronger the luma steps across one phase of an 8-pixel grid are than across the others: about 1
     * for a photo that was never a JPEG, well above 1 when JPEG's 8x8 blocks left their edges (the strongest of
     * the 8 horizontal and 8 vertical phases, each against the mean of its direction's other 7).
     */
    public static double blockiness(Image img) {
        int w = img.width(), h = img.height();
        if (w < 32 || h < 32) {
            return 1;
        }
        float[] y = new float[w * h];
        if (img.channels() == 3) {
            for (int i = 0; i < y.length; i++) {
                y[i] = 0.299f * img.plane(0)[i] + 0.587f * img.plane(1)[i] + 0.114f * img.plane(2)[i];
            }
        } else {
            y = img.plane(0);
        }
        double[] col = new double[8], row = new double[8];
        for (int r = 0; r < h; r++) {
            for (int x = 1; x < w; x++) {
                col[x & 7] += Math.abs(y[r * w + x] - y[r * w + x - 1]);
            }
        }
        for (int r = 1; r < h; r++) {
            for (int x = 0; x < w; x++) {
                row[r & 7] += Math.abs(y[r * w + x] - y[(r - 1) * w + x]);
            }
        }
        return Math.max(peak(col), peak(row));
    }

    private static double peak(double[] phases) {
        double best = 0;
        for (int p = 0; p < 8; p++) {
            double others = 0;
            for (int q = 0; q < 8; q++) {
                others += q == p ? 0 : phases[q];
            }
            others /= 7;
            best = Math.max(best, others > 0 ? phases[p] / others : 1);
        }
        return best;
    }
}
