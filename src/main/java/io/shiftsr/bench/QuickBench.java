package io.shiftsr.bench;

import io.shiftsr.engine.*;
import io.shiftsr.model.*;

public class QuickBench {
    public static void main(String[] a) throws Exception {
        Engine.init(2);
        int w = Integer.parseInt(a[0]);
        int[] mults = java.util.Arrays.stream(a[1].split(",")).mapToInt(Integer::parseInt).toArray();
        int[] enc = java.util.Arrays.stream(a[2].split(",")).mapToInt(Integer::parseInt).toArray();
        int[] dec = a[3].isEmpty() ? new int[0] : java.util.Arrays.stream(a[3].split(",")).mapToInt(Integer::parseInt).toArray();
        boolean sp = a[4].contains("s"), dct = a[4].contains("d"), dwt = a[4].contains("w");
        int size = Integer.parseInt(a[5]);
        int batch = Integer.parseInt(a[6]);
        boolean train = a.length > 7;
        ModelConfig cfg = new ModelConfig(48, w, mults, enc, dec, 128, sp, dct, dwt);
        DualDomainUNet net = new DualDomainUNet(cfg, 1);
        Rng rng = new Rng(0);
        Tensor x = rng.randn(batch, 48, size, size).persistent();
        Tensor c = rng.randn(batch, 48, size, size).persistent();
        float[] t = new float[batch];
        java.util.Arrays.fill(t, 0.5f);
        double best = 1e9;
        for (int i = 0; i < 6; i++) {
            long t0 = System.nanoTime();
            try (Scope s = Scope.open(); var g = train ? null : Engine.gradDisabled()) {
                Tensor o = net.forward(x, c, t);
                if (train) o.square().mean().backward();
                else o.sum().item();
            }
            double sec = (System.nanoTime() - t0) / 1e9;
            if (i > 0) best = Math.min(best, sec);
        }
        double flops = 2.0 * net.macsPerLatentPixel() * size * size * batch * (train ? 3 : 1);
        System.out.printf("%s params=%d macs/px=%d  best %.3fs  %.1f GFLOP/s%n", cfg, net.parameterCount(), net.macsPerLatentPixel(), best, flops / best / 1e9);
    }
}
