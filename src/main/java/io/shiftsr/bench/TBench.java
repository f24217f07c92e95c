package io.shiftsr.bench;
import io.shiftsr.engine.*;
public class TBench {
    interface Op { Tensor run(Tensor x); }
    static void time(String name, Tensor x, Op op) {
        double best = 1e9;
        for (int i = 0; i < 10; i++) {
            long t0 = System.nanoTime();
            try (Scope s = Scope.open(); var g = Engine.gradDisabled()) { op.run(x).sum().item(); }
            double sec = (System.nanoTime() - t0) / 1e9; if (i > 1) best = Math.min(best, sec);
        }
        System.out.printf("%-30s %.1f ms%n", name, best * 1000);
    }
    public static void main(String[] a) {
        Engine.init(2);
        Tensor x = new Rng(0).randn(1, 64, 256, 256).persistent();
        Tensor w3 = new Rng(1).randn(64, 64, 3, 3).persistent();
        Tensor w1 = new Rng(1).randn(64, 64, 1, 1).persistent();
        Tensor w192 = new Rng(1).randn(64, 192, 1, 1).persistent();
        Tensor w2s = new Rng(1).randn(256, 64, 2, 2).persistent();
        Tensor w256 = new Rng(1).randn(256, 256, 1, 1).persistent();
        Tensor g = new Rng(1).randn(1, 64, 64, 1, 1).persistent();
        io.shiftsr.model.BlockDct dct = new io.shiftsr.model.BlockDct();
        for (int rep = 0; rep < 2; rep++) {
        time("identity", x, t -> t);
        time("conv3x3", x, t -> t.conv2d(w3, null, 1, 1, 1));
        time("conv1x1", x, t -> t.conv2d(w1, null, 1, 0, 1));
        time("silu", x, t -> t.silu());
        time("add", x, t -> t.add(t));
        time("dct fwd", x, t -> dct.forward(t));
        time("dct inv", x, t -> dct.inverse(t.view(1, 64, 64, 32, 32)));
        time("dct silu gain", x, t -> t.view(1, 64, 64, 32, 32).silu().mul(g));
        time("dwt stride2 conv", x, t -> t.conv2d(w2s, null, 2, 0, 1));
        time("dwt unshuffle", x, t -> t.pixelUnshuffle(2));
        time("dwt unshuf conv1", x, t -> t.pixelUnshuffle(2).conv2d(w256, null, 1, 0, 1));
        time("pixelshuffle2", x, t -> t.pixelShuffle(2));
        time("cat3", x, t -> Tensor.cat(1, t, t, t));
        time("cat3+fuse", x, t -> Tensor.cat(1, t, t, t).conv2d(w192, null, 1, 0, 1));
        }
    }
}
