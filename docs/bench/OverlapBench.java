/*
 * Whether encoding one image while the network runs on the next would pay on this machine: the bundled model's
 * network call on a 1024x1024 output's latent (DeltaDiff, 1 step) and the PNG encode of IMAGE, one after the
 * other against the encode on a second thread started with the network call. Median of 7, four rounds, in ms.
 * docs/PERFORMANCE.md, session 16 (on 2 cores the overlapped pair took longer). From the project root after a
 * build, nothing else running:
 *   java -cp "core/target/shiftsr.jar:core/target/lib/*" docs/bench/OverlapBench.java /tmp/up2/skimage-coffee.png
 */
import io.shiftsr.ShiftSr;
import io.shiftsr.diffusion.Denoiser;
import io.shiftsr.diffusion.ResidualShiftProcess;
import io.shiftsr.engine.Engine;
import io.shiftsr.engine.Rng;
import io.shiftsr.engine.Scope;
import io.shiftsr.engine.Tensor;
import io.shiftsr.image.Image;
import io.shiftsr.image.ImageMetadata;
import io.shiftsr.image.ImageReading;
import io.shiftsr.image.ImageWriting;
import io.shiftsr.sr.ShiftSrModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;

public class OverlapBench {
    public static void main(String[] args) throws Exception {
        ShiftSrModel m = ShiftSr.load().model();
        Tensor latent = m.codec().encode(new Rng(1).randn(1, 3, 1024, 1024).mul(0.3)).persistent();
        Denoiser d = m.denoiser(4.0, 0);
        ResidualShiftProcess p = m.process(0);
        Image out = ImageReading.read(Path.of(args[0]));
        int w = out.width(), h = out.height();
        float[][][] rows = new float[h][3][w];
        for (int y = 0; y < h; y++) {
            for (int c = 0; c < 3; c++) {
                System.arraycopy(out.toRgb().plane(c), y * w, rows[y][c], 0, w);
            }
        }
        Runnable net = () -> {
            try (Scope s = Scope.open(); Engine.GradGuard g = Engine.gradDisabled()) {
                p.sample(d, latent, 1, new Rng(0), null).sum().item();
            }
        };
        Runnable enc = () -> {
            try {
                ImageWriting.writePngRows(new ByteArrayOutputStream(4 << 20), w, h, 3, ImageMetadata.NONE, y -> rows[y]);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        for (int i = 0; i < 5; i++) {
            net.run();
            enc.run();
        }
        for (int round = 0; round < 4; round++) {
            double[] seq = new double[7], par = new double[7], n = new double[7], e = new double[7];
            for (int i = 0; i < 7; i++) {
                long t0 = System.nanoTime();
                net.run();
                long t1 = System.nanoTime();
                enc.run();
                long t2 = System.nanoTime();
                n[i] = (t1 - t0) / 1e6;
                e[i] = (t2 - t1) / 1e6;
                seq[i] = (t2 - t0) / 1e6;
                long s0 = System.nanoTime();
                Thread side = new Thread(enc);
                side.start();
                net.run();
                side.join();
                par[i] = (System.nanoTime() - s0) / 1e6;
            }
            for (double[] a : new double[][] {seq, par, n, e}) {
                Arrays.sort(a);
            }
            System.out.printf("network %.1f + encode %.1f ms: one after the other %.1f ms, overlapped %.1f ms%n", n[3],
                    e[3], seq[3], par[3]);
        }
    }
}
