package io.shiftsr.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Arrays;

/**
 * Shape of the dual-domain UNet (DESIGN.md section 6). Stored in the weights file's metadata so a model
 * file describes itself.
 *
 * @param latentChannels channels of x_t and of the condition y0 in the latent (48 = 3 x 4 x 4)
 * @param width          channels at the first level
 * @param channelMults   width multiplier per level; each level after the first halves the resolution
 * @param encoderBlocks  dual-domain blocks per level on the way down (the last level is the middle)
 * @param decoderBlocks  dual-domain blocks per level on the way up
 * @param timeEmbedDim   size of the time embedding
 * @param spatial        spatial (3x3 conv) branch on
 * @param dct            blockwise DCT branch on
 * @param dwt            Haar wavelet branch on
 * @param scaleEmbed     the scale factor is embedded next to the time. Not in DESIGN.md section 6, which
 *                       lets the net guess the scale from the blur of y0: a net trained that way on scales
 *                       2-4 lost 0.4 dB at x4 (models/MODEL_CARD.md), so it is told the scale instead
 * @param degradationEmbed the input's degradation level (0 clean .. 1 heavily compressed, {@code
 *                       sr.DegradationLevel}) is embedded next to the time, the same way as the scale
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record ModelConfig(
        int latentChannels,
        int width,
        int[] channelMults,
        int[] encoderBlocks,
        int[] decoderBlocks,
        int timeEmbedDim,
        boolean spatial,
        boolean dct,
        boolean dwt,
        boolean scaleEmbed,
        boolean degradationEmbed) {

    /** A network without the degradation embedding (every model before the real-photo one). */
    public ModelConfig(int latentChannels, int width, int[] channelMults, int[] encoderBlocks, int[] decoderBlocks,
            int timeEmbedDim, boolean spatial, boolean dct, boolean dwt, boolean scaleEmbed) {
        this(latentChannels, width, channelMults, encoderBlocks, decoderBlocks, timeEmbedDim, spatial, dct, dwt,
                scaleEmbed, false);
    }

    /** A network without the scale embedding (the first shipped x4 model has none). */
    public ModelConfig(int latentChannels, int width, int[] channelMults, int[] encoderBlocks, int[] decoderBlocks,
            int timeEmbedDim, boolean spatial, boolean dct, boolean dwt) {
        this(latentChannels, width, channelMults, encoderBlocks, decoderBlocks, timeEmbedDim, spatial, dct, dwt, false);
    }

    public ModelConfig {
        if (channelMults.length == 0 || channelMults.length != encoderBlocks.length
                || decoderBlocks.length != channelMults.length - 1) {
            throw new IllegalArgumentException("model config: channelMults and encoderBlocks need one entry per level"
                    + " and decoderBlocks one per level but the last");
        }
        if (!spatial && !dct && !dwt) {
            throw new IllegalArgumentException("model config: at least one branch (spatial, dct, dwt) must be on");
        }
        if (width < 8 || latentChannels < 1 || timeEmbedDim < 2 || timeEmbedDim % 2 != 0) {
            throw new IllegalArgumentException("model config: width >= 8, latentChannels >= 1, even timeEmbedDim");
        }
        // Bounds before anything is allocated: a model file's metadata is input like any other (width=100000
        // once asked for 360 GB).
        if (width > 1024 || latentChannels > 1024 || timeEmbedDim > 4096 || channelMults.length > 6) {
            throw new IllegalArgumentException("model config: width <= 1024, latentChannels <= 1024,"
                    + " timeEmbedDim <= 4096, at most 6 levels");
        }
        for (int i = 0; i < channelMults.length; i++) {
            if (channelMults[i] < 1 || channelMults[i] > 16 || encoderBlocks[i] < 0 || encoderBlocks[i] > 64
                    || (i < decoderBlocks.length && (decoderBlocks[i] < 0 || decoderBlocks[i] > 64))) {
                throw new IllegalArgumentException("model config: channelMults 1..16, blocks per level 0..64");
            }
        }
    }

    /** The seed's dual-domain UNet: two levels, spatial, DCT and Haar branches, ~1.4 M parameters, told the scale. */
    public static ModelConfig dualDomainUNet() {
        return new ModelConfig(48, 64, new int[] {1, 2}, new int[] {1, 2}, new int[] {1}, 128, true, true, true, true);
    }

    /**
     * The network that ships (configs/x4.yaml): a residual body of {@code blocks} time-modulated spatial blocks
     * at full latent resolution, no DCT or Haar branch, told the scale (12 blocks in the bundled model).
     */
    public static ModelConfig residualBody(int blocks) {
        return new ModelConfig(48, 64, new int[] {1}, new int[] {blocks}, new int[] {}, 128, true, false, false, true);
    }

    /** "residual body" (one level, spatial only) or "dual-domain UNet": what this config builds, for info. */
    public String shape() {
        return levels() == 1 && !dct && !dwt ? "residual body of " + encoderBlocks[0] + " blocks" : "dual-domain UNet";
    }

    public int levels() {
        return channelMults.length;
    }

    public int channels(int level) {
        return width * channelMults[level];
    }

    /** Latent height and width must be multiples of this (downsampling, 8x8 DCT blocks, 2x2 Haar). */
    public int sizeMultiple() {
        int perLevel = dct ? BlockDct.N : dwt ? 2 : 1;
        return perLevel << (levels() - 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelConfig c && latentChannels == c.latentChannels && width == c.width
                && Arrays.equals(channelMults, c.channelMults) && Arrays.equals(encoderBlocks, c.encoderBlocks)
                && Arrays.equals(decoderBlocks, c.decoderBlocks) && timeEmbedDim == c.timeEmbedDim
                && spatial == c.spatial && dct == c.dct && dwt == c.dwt && scaleEmbed == c.scaleEmbed
                && degradationEmbed == c.degradationEmbed;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(channelMults) * 31 + width;
    }

    @Override
    public String toString() {
        return "ModelConfig[width=" + width + ", mults=" + Arrays.toString(channelMults) + ", enc="
                + Arrays.toString(encoderBlocks) + ", dec=" + Arrays.toString(decoderBlocks) + ", temb=" + timeEmbedDim
                + ", branches=" + (spatial ? "spatial " : "") + (dct ? "dct " : "") + (dwt ? "dwt" : "")
                + (scaleEmbed ? ", scale-embedded" : "") + (degradationEmbed ? ", degradation-embedded" : "") + "]";
    }
}
