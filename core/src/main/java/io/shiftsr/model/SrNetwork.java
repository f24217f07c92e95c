package io.shiftsr.model;

import io.shiftsr.engine.Rng;
import io.shiftsr.engine.Scope;
import io.shiftsr.engine.Tensor;
import io.shiftsr.nn.Conv2d;
import io.shiftsr.nn.Module;
import java.util.ArrayList;
import java.util.List;

/**
 * The super-resolution network, working in the latent, in one of the two shapes its {@link ModelConfig} selects:
 * the <b>residual body</b> that ships (one level of time-modulated spatial residual blocks at full latent
 * resolution, {@link ModelConfig#residualBody}) or the seed's <b>dual-domain UNet</b> (two levels, spatial, DCT
 * and Haar branches, {@link ModelConfig#dualDomainUNet}; DESIGN.md section 6). Input: the (scaled) noisy latent
 * x_t and the condition y0, both (B, latentChannels, h, w), and the time t/T per sample. Output: the predicted
 * residual, so that x0_hat = y0 + output (section 4). Knows nothing of diffusion, files or images.
 */
public final class SrNetwork extends Module {
    private final ModelConfig config;
    private final TimeEmbedding time;
    private final Conv2d head;
    private final List<List<DualDomainBlock>> encoder = new ArrayList<>();
    private final List<Conv2d> down = new ArrayList<>();
    private final List<Conv2d> up = new ArrayList<>();
    private final List<List<DualDomainBlock>> decoder = new ArrayList<>();
    private final Conv2d tail;

    public SrNetwork(ModelConfig config, long seed) {
        this.config = config;
        Rng rng = new Rng(seed);
        BlockDct dct = new BlockDct();
        HaarWavelet haar = new HaarWavelet();
        int e = config.timeEmbedDim();
        this.time = child("time", new TimeEmbedding(rng, e, config.scaleEmbed(), config.degradationEmbed()));
        this.head = child("head", new Conv2d(rng, 2 * config.latentChannels(), config.channels(0), 3));
        for (int level = 0; level < config.levels(); level++) {
            int c = config.channels(level);
            List<DualDomainBlock> blocks = new ArrayList<>();
            for (int i = 0; i < config.encoderBlocks()[level]; i++) {
                blocks.add(child("enc" + level + "_" + i, new DualDomainBlock(rng, c, e, config, dct, haar)));
            }
            encoder.add(blocks);
            if (level + 1 < config.levels()) {
                // 2x2 stride-2 conv: a learned downsample that sees every input pixel once.
                down.add(child("down" + level, new Conv2d(rng, c, config.channels(level + 1), 2, 2, 0, 1, true)));
            }
        }
        for (int level = config.levels() - 2; level >= 0; level--) {
            int c = config.channels(level);
            // Upsample by pixel shuffle: a 1x1 conv to 4c channels, then depth-to-space.
            up.add(child("up" + level, new Conv2d(rng, config.channels(level + 1), 4 * c, 1)));
            List<DualDomainBlock> blocks = new ArrayList<>();
            for (int i = 0; i < config.decoderBlocks()[level]; i++) {
                blocks.add(child("dec" + level + "_" + i, new DualDomainBlock(rng, c, e, config, dct, haar)));
            }
            decoder.add(blocks);
        }
        // Zero tail: an untrained model predicts no residual, i.e. starts as bicubic.
        this.tail = child("tail", new Conv2d(rng, config.channels(0), config.latentChannels(), 3).zeroInit());
    }

    public ModelConfig config() {
        return config;
    }

    /**
     * @param xt   (B, latentChannels, h, w), h and w multiples of {@link ModelConfig#sizeMultiple()}
     * @param cond (B, latentChannels, h, w)
     * @param time t / T per sample
     * @param scale the scale factor per sample (used only by a scale-embedded network; may then not be null)
     */
    public Tensor forward(Tensor xt, Tensor cond, float[] time, float[] scale) {
        return forward(xt, cond, time, scale, null);
    }

    /**
     * @param degradation the degradation level per sample, 0 (clean) to 1 (used only by a degradation-embedded
     *                    network; null means clean)
     */
    public Tensor forward(Tensor xt, Tensor cond, float[] time, float[] scale, float[] degradation) {
        if (config.scaleEmbed() && (scale == null || scale.length != time.length)) {
            throw new IllegalArgumentException("a scale-embedded network needs one scale per sample");
        }
        if (degradation != null && degradation.length != time.length) {
            throw new IllegalArgumentException("need one degradation level per sample");
        }
        float[] levels = degradation != null ? degradation : new float[time.length];
        Tensor temb = this.time.forward(time, scale, levels).silu();
        Tensor h = head.forward(Tensor.cat(1, xt, cond));
        List<Tensor> skips = new ArrayList<>();
        for (int level = 0; level < config.levels(); level++) {
            for (DualDomainBlock b : encoder.get(level)) {
                h = blockForward(b, h, temb);
            }
            if (level + 1 < config.levels()) {
                skips.add(h);
                h = down.get(level).forward(h);
            }
        }
        for (int i = 0; i < up.size(); i++) {
            h = up.get(i).forward(h).pixelShuffle(2).add(skips.get(skips.size() - 1 - i));
            for (DualDomainBlock b : decoder.get(i)) {
                h = blockForward(b, h, temb);
            }
        }
        return tail.forward(h.silu());
    }

    /**
     * One block in a scope of its own, so that its half-dozen intermediate maps are freed when it returns
     * instead of when the caller's step ends: without it, peak memory grows with depth (about 7 maps per block
     * held at once). Autograd keeps what backward needs through its own references, so training is unchanged.
     */
    private static Tensor blockForward(DualDomainBlock b, Tensor h, Tensor temb) {
        try (Scope scope = Scope.open()) {
            return b.forward(h, temb).keep();
        }
    }

    /** Multiply-accumulates per latent pixel for one forward pass (convolutions and transforms). */
    public long macsPerLatentPixel() {
        double macs = head.macsPerOutputPixel() + tail.macsPerOutputPixel();
        for (int level = 0; level < config.levels(); level++) {
            double area = 1.0 / (1L << (2 * level));
            for (DualDomainBlock b : encoder.get(level)) {
                macs += b.macsPerPixel() * area;
            }
            if (level + 1 < config.levels()) {
                macs += down.get(level).macsPerOutputPixel() * area / 4;
            }
        }
        for (int i = 0; i < up.size(); i++) {
            int level = config.levels() - 2 - i;
            double area = 1.0 / (1L << (2 * level));
            macs += up.get(i).macsPerOutputPixel() * area / 4;
            for (DualDomainBlock b : decoder.get(i)) {
                macs += b.macsPerPixel() * area;
            }
        }
        return Math.round(macs);
    }
}
