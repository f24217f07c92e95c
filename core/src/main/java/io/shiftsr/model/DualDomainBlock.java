package io.shiftsr.model;

import io.shiftsr.engine.Rng;
import io.shiftsr.engine.Tensor;
import io.shiftsr.nn.Conv2d;
import io.shiftsr.nn.Linear;
import io.shiftsr.nn.Module;

/**
 * x + conv1x1(concat[spatial(h), dct(h), dwt(h)]) with h = silu(x * (1 + scale(t)) + shift(t))
 * (DESIGN.md section 6). The fuse conv starts at zero so every block starts as the identity.
 */
final class DualDomainBlock extends Module {
    private final int channels;
    private final Linear timeToScaleShift;
    private final Conv2d spatial1;
    private final Conv2d spatial2;
    private final Conv2d dctMix;
    private final Tensor dctGain;
    private final Tensor dwtBandWeights;
    private final Tensor dwtBias;
    private final Conv2d fuse;
    private final BlockDct blockDct;
    private final HaarWavelet haar;

    DualDomainBlock(Rng rng, int channels, int timeDim, ModelConfig cfg, BlockDct blockDct, HaarWavelet haar) {
        this.channels = channels;
        this.blockDct = blockDct;
        this.haar = haar;
        this.timeToScaleShift = child("time", new Linear(rng, timeDim, 2 * channels).zeroInit());
        int branches = 0;
        if (cfg.spatial()) {
            spatial1 = child("spatial1", new Conv2d(rng, channels, channels, 3));
            spatial2 = child("spatial2", new Conv2d(rng, channels, channels, 3));
            branches++;
        } else {
            spatial1 = spatial2 = null;
        }
        if (cfg.dct()) {
            // DESIGN.md section 6: a 1x1 conv commutes with the orthonormal DCT, so the seed's
            // DCT -> 1x1 -> act -> 1x1 -> IDCT is computed as IDCT(gain * act(DCT(1x1(h)))) with the first
            // mix in pixel space (a plain, fast conv) and the second folded into the fuse conv, which is
            // linear too. The nonlinearity and the per-(channel, frequency) gain act on the coefficients.
            dctMix = child("dct_mix", new Conv2d(rng, channels, channels, 1));
            dctGain = param("dct_gain", Tensor.ones(1, channels, BlockDct.N * BlockDct.N, 1, 1));
            branches++;
        } else {
            dctMix = null;
            dctGain = null;
        }
        if (cfg.dwt()) {
            // One 1x1 conv per sub-band (LL, LH, HL, HH), applied as one folded conv (see HaarWavelet).
            double bound = 1.0 / Math.sqrt(channels);
            dwtBandWeights = param("dwt_weight", rng.uniform(-bound, bound, 4, channels, channels));
            dwtBias = param("dwt_bias", Tensor.zeros(1, channels, 1, 1));
            branches++;
        } else {
            dwtBandWeights = null;
            dwtBias = null;
        }
        this.fuse = child("fuse", new Conv2d(rng, branches * channels, channels, 1).zeroInit());
    }

    /**
     * Computes x + fuse(concat[spatial, dct, dwt]) without the concat: the fuse 1x1 conv is linear, so its
     * slice for each branch is folded into that branch's last linear map (DESIGN.md section 9: fold fixed
     * and adjacent linear maps). Same parameters, same function, fewer passes over the feature map
     * (measured in docs/PERFORMANCE.md).
     */
    Tensor forward(Tensor x, Tensor timeEmb) {
        long b = x.size(0);
        long c = channels;
        Tensor[] ss = timeToScaleShift.forward(timeEmb).view(b, 2 * c, 1, 1).chunk(2, 1);
        // x * (1 + scale) + shift as two passes: addcmul (one pass) measured no faster in the network and 5x
        // slower alone on a bf16 channels-last map (docs/PERFORMANCE.md)
        Tensor h = x.mul(ss[0].add(1.0)).add(ss[1]).silu();
        Tensor fuseW = fuse.weight().reshape(c, -1); // (C, branches * C)
        Tensor bias = fuse.bias().view(c, 1);
        Tensor f0 = spatial1 != null ? fuseW.narrow(1, 0, c) : null;
        int slice = spatial1 != null ? 1 : 0;
        Tensor fDct = dctMix != null ? fuseW.narrow(1, slice++ * c, c) : null;
        Tensor fDwt = dwtBandWeights != null ? fuseW.narrow(1, slice * c, c) : null;
        if (fDwt != null) {
            // fuse_w * (sum_k W_k P_k h + bias) = sum_k (fuse_w W_k) P_k h + fuse_w bias
            bias = bias.add(fDwt.matmul(dwtBias.view(c, 1)));
        }
        Tensor out;
        if (f0 != null) {
            // fuse_s * conv(W2, b2) = conv(fuse_s W2, fuse_s b2); the block's whole bias rides in that conv too,
            // so no separate pass adds it
            Tensor w2 = f0.matmul(spatial2.weight().reshape(c, c * 9)).reshape(c, c, 3, 3);
            bias = bias.add(f0.matmul(spatial2.bias().view(c, 1)));
            out = x.add(spatial2.forward(spatial1.forward(h).silu(), w2, bias.view(c)));
        } else {
            out = x.add(bias.view(1, c, 1, 1));
        }
        if (fDct != null) {
            Tensor coeffs = blockDct.forward(dctMix.forward(h)); // (B, C, 64, h/8, w/8)
            out = out.add(blockDct.inverse(coeffs.silu().mul(dctGain)).conv2d(fDct.reshape(c, c, 1, 1), null, 1, 0, 1));
        }
        if (fDwt != null) {
            out = out.add(haar.mixBands(h, fDwt.matmul(dwtBandWeights), null));
        }
        return out;
    }

    /** The block as DESIGN.md section 6 writes it, concat then fuse: the reference for the folded form. */
    Tensor forwardUnfolded(Tensor x, Tensor timeEmb) {
        long b = x.size(0);
        Tensor[] ss = timeToScaleShift.forward(timeEmb).view(b, 2 * channels, 1, 1).chunk(2, 1);
        Tensor h = x.mul(ss[0].add(1.0)).add(ss[1]).silu();
        java.util.List<Tensor> outs = new java.util.ArrayList<>();
        if (spatial1 != null) {
            outs.add(spatial2.forward(spatial1.forward(h).silu()));
        }
        if (dctMix != null) {
            outs.add(blockDct.inverse(blockDct.forward(dctMix.forward(h)).silu().mul(dctGain)));
        }
        if (dwtBandWeights != null) {
            outs.add(haar.mixBands(h, dwtBandWeights, dwtBias));
        }
        return x.add(fuse.forward(Tensor.cat(1, outs.toArray(new Tensor[0]))));
    }

    /** Multiply-accumulates per pixel at this block's resolution (transforms included). */
    long macsPerPixel() {
        long c = channels;
        long macs = 2 * c; // time modulation, roughly
        if (spatial1 != null) {
            macs += spatial1.macsPerOutputPixel() + spatial2.macsPerOutputPixel();
        }
        if (dctMix != null) {
            macs += c * c + 2 * 64 * c; // the 1x1 mix + forward and inverse 8x8 transforms
        }
        if (dwtBandWeights != null) {
            macs += 4 * c * c; // the folded stride-2 2x2 conv C -> 4C at half resolution
        }
        return macs + fuse.macsPerOutputPixel();
    }
}
