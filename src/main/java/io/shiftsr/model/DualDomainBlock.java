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
    private final Conv2d dctMix1;
    private final Conv2d dctMix2;
    private final Tensor dctGain;
    private final Conv2d dwtMix;
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
            // The same channel mixing for every one of the 64 frequencies, a ReLU-like nonlinearity between
            // (without it DCT -> 1x1 -> IDCT collapses to a plain 1x1 conv), and a per-(channel, frequency) gain.
            dctMix1 = child("dct1", new Conv2d(rng, channels, channels, 1));
            dctMix2 = child("dct2", new Conv2d(rng, channels, channels, 1));
            dctGain = param("dct_gain", Tensor.ones(1, channels, BlockDct.N * BlockDct.N, 1, 1));
            branches++;
        } else {
            dctMix1 = dctMix2 = null;
            dctGain = null;
        }
        if (cfg.dwt()) {
            // One 1x1 conv per sub-band (LL, LH, HL, HH): a grouped conv over the 4 stacked bands.
            dwtMix = child("dwt", new Conv2d(rng, 4 * channels, 4 * channels, 1, 1, 0, 4, true));
            branches++;
        } else {
            dwtMix = null;
        }
        this.fuse = child("fuse", new Conv2d(rng, branches * channels, channels, 1).zeroInit());
    }

    Tensor forward(Tensor x, Tensor timeEmb) {
        long b = x.size(0);
        Tensor[] ss = timeToScaleShift.forward(timeEmb).view(b, 2 * channels, 1, 1).chunk(2, 1);
        Tensor h = x.mul(ss[0].add(1.0)).add(ss[1]).silu();
        Tensor[] outs = new Tensor[(spatial1 != null ? 1 : 0) + (dctMix1 != null ? 1 : 0) + (dwtMix != null ? 1 : 0)];
        int i = 0;
        if (spatial1 != null) {
            outs[i++] = spatial2.forward(spatial1.forward(h).silu());
        }
        if (dctMix1 != null) {
            Tensor c = blockDct.forward(h); // (B, C, 64, h8, w8)
            long h8 = c.size(3), w8 = c.size(4);
            Tensor flat = c.view(b, channels, 64 * h8, w8);
            Tensor mixed = dctMix2.forward(dctMix1.forward(flat).silu()).view(b, channels, 64, h8, w8).mul(dctGain);
            outs[i++] = blockDct.inverse(mixed);
        }
        if (dwtMix != null) {
            Tensor bands = haar.forward(h); // (B, C, 4, h2, w2)
            long h2 = bands.size(3), w2 = bands.size(4);
            Tensor stacked = bands.permute(0, 2, 1, 3, 4).reshape(b, 4L * channels, h2, w2);
            Tensor mixed = dwtMix.forward(stacked).view(b, 4, channels, h2, w2).permute(0, 2, 1, 3, 4);
            outs[i++] = haar.inverse(mixed);
        }
        Tensor joined = outs.length == 1 ? outs[0] : Tensor.cat(1, outs);
        return x.add(fuse.forward(joined));
    }

    /** Multiply-accumulates per pixel at this block's resolution (transforms included). */
    long macsPerPixel() {
        long c = channels;
        long macs = 2 * c; // time modulation, roughly
        if (spatial1 != null) {
            macs += spatial1.macsPerOutputPixel() + spatial2.macsPerOutputPixel();
        }
        if (dctMix1 != null) {
            macs += 2 * c * c + 2 * 64 * c; // two 1x1 mixes + forward and inverse 8x8 transforms
        }
        if (dwtMix != null) {
            macs += c * c + 2 * 4 * c;
        }
        return macs + fuse.macsPerOutputPixel();
    }
}
