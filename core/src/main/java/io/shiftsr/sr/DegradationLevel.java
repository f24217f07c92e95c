package io.shiftsr.sr;

import io.shiftsr.image.Image;
import io.shiftsr.image.ImageMetadata;
import io.shiftsr.image.JpegQuality;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

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
     * Where a level came from, as users see it ({@code --jsonl}, the web page, the Spark job's table): {@code
     * jpeg-file} a JPEG's quantization tables, {@code jpeg-pixels} the lattice an earlier JPEG left in the pixels
     * (a lossless copy, decoded pixels), {@code jpeg-resaved} a JPEG file whose pixels show a harsher JPEG than its
     * tables, {@code webp} a lossy WebP (its quality is not read), {@code block-edges} the blind estimate, {@code
     * clean} none of these, {@code chosen} the user's {@code --denoise} choice.
     */
    public enum Source {
        JPEG_FILE, JPEG_PIXELS, JPEG_RESAVED, WEBP, BLOCK_EDGES, CLEAN, CHOSEN;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * What an input was read as: the level the model is told, the JPEG quality it stands for (0: clean) and where
     * it came from.
     */
    public record Reading(float level, int quality, Source source) {
        public Reading {
            check(level);
        }

        /** The level of a JPEG of {@code quality} (0: clean), from {@code source}. */
        static Reading ofQuality(int quality, Source source) {
            return new Reading(quality == 0 ? 0f : ofJpegQuality(quality), quality, source);
        }

        /**
         * The reading as the reports give it (--jsonl, the web API): "quality" (0: clean), "from" ({@link
         * Source#label}), "level" (3 decimals) and "description" ({@link #describe}).
         */
        public Map<String, Object> fields() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("quality", quality);
            m.put("from", source.label());
            m.put("level", Math.round(level * 1000) / 1000.0);
            m.put("description", describe());
            return m;
        }

        /** One line for people, e.g. "JPEG quality 58, read from the file". */
        public String describe() {
            return switch (source) {
                case JPEG_FILE -> "JPEG quality " + quality + ", read from the file";
                case JPEG_PIXELS -> "JPEG quality " + quality + ", read from the pixels";
                case JPEG_RESAVED -> "JPEG quality " + quality + ", read from the pixels (saved again at a higher"
                        + " quality)";
                case WEBP -> "lossy WebP, taken as JPEG quality " + quality;
                case BLOCK_EDGES -> "JPEG block edges, taken as JPEG quality " + quality;
                case CLEAN -> "clean";
                case CHOSEN -> quality == 0 ? "clean (chosen)" : "JPEG quality " + quality + " (chosen)";
            };
        }
    }

    /**
     * The level of an input as its file and pixels describe it: a JPEG's quality read from its tables, or the
     * lower quality its pixels show when it was re-saved milder than an earlier compression ({@link
     * #RESAVE_MARGIN}); a lossy WebP (quality not stored) {@link #LOSSY_DEFAULT}; a lossless file or a decoded
     * image the quality its pixels show ({@link JpegQuality#fromPixels}: the lattice a JPEG leaves its blocks'
     * DCs on), else the blind estimate of {@link #blockiness} (8x8 block edges left by an earlier JPEG), else 0:
     * a clean image.
     */
    public static Reading ofInput(Image lr) {
        ImageMetadata.Compression c = lr.metadata().compression();
        if (c.lossy() && c.jpegQuality() == 0) {
            return Reading.ofQuality(LOSSY_DEFAULT_QUALITY, Source.WEBP);
        }
        int shown = JpegQuality.fromPixels(lr);
        if (c.jpegQuality() > 0) {
            return shown > 0 && shown < c.jpegQuality() - RESAVE_MARGIN ? Reading.ofQuality(shown, Source.JPEG_RESAVED)
                    : Reading.ofQuality(c.jpegQuality(), Source.JPEG_FILE);
        }
        if (shown > 0) {
            return Reading.ofQuality(shown, Source.JPEG_PIXELS);
        }
        return blockiness(lr) < BLOCKY ? Reading.ofQuality(0, Source.CLEAN)
                : Reading.ofQuality(BLOCKY_QUALITY, Source.BLOCK_EDGES);
    }

    /**
     * How much lower than its tables' quality a JPEG's pixels must show before they are believed: a JPEG of
     * quality 50 saved again at 90 or 95 keeps the DC lattice of 50 (requantizing a multiple of 16 with a step of
     * 3 or 2 moves it by 1 at most), so its pixels show 50 where its tables say 90 or 95; the pixels of a JPEG
     * saved once give its own quality within the 2-3 qualities that share a DC step (the 12 JPEG files of
     * val-rw, from an independent tool: within 1).
     */
    static final int RESAVE_MARGIN = 5;

    /** The JPEG quality a lossy WebP is taken as, since its file does not say its quality. */
    static final int LOSSY_DEFAULT_QUALITY = 75;
    /** The level of a lossy WebP: that of a JPEG of {@link #LOSSY_DEFAULT_QUALITY}. */
    public static final float LOSSY_DEFAULT = ofJpegQuality(LOSSY_DEFAULT_QUALITY);
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
