import io.shiftsr.image.Image;
import io.shiftsr.image.ImageWriting;
import io.shiftsr.image.MatlabBicubic;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

/**
 * Times the two largest Java parts of the "rest" that `shiftsr bench` reports beside the network
 * (docs/PERFORMANCE.md): the MATLAB-bicubic y0 of a 256x256 RGB input at x4, whole and in bands of rows as
 * upscaling makes it, and the PNG encoding of the 1024x1024 result, with zlib alone under it. Median of 15 after
 * 2 warm-ups, in milliseconds. Run from the project root after a build (`./shiftsr --version`), with nothing else
 * running:
 * {@code java -cp "core/target/shiftsr.jar:core/target/lib/*" docs/bench/RestBench.java}
 */
public class RestBench {

    static double medianMs(Runnable task, int n) {
        task.run();
        task.run();
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            task.run();
            t[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(t);
        return t[n / 2];
    }

    public static void main(String[] args) {
        Random r = new Random(1);
        int side = 256, out = 4 * side;
        float[][] planes = new float[3][side * side];
        for (float[] p : planes) {
            for (int i = 0; i < p.length; i++) {
                p[i] = r.nextFloat();
            }
        }
        Image lr = Image.of(side, side, planes);
        System.out.printf("y0: bicubic 256->1024 RGB, whole: %.1f ms%n",
                medianMs(() -> MatlabBicubic.resizeRows(lr, out, out, 4, 0, out), 15));
        System.out.printf("y0: bicubic 256->1024 RGB, 8 bands of 128 rows: %.1f ms%n", medianMs(() -> {
            for (int b = 0; b < 8; b++) {
                MatlabBicubic.resizeRows(lr, out, out, 4, b * 128, b * 128 + 128);
            }
        }, 15));
        Image up = MatlabBicubic.resize(lr, 4).quantize8();
        System.out.printf("PNG of the 1024x1024 bicubic result: %.1f ms%n",
                medianMs(() -> ImageWriting.write(up, new ByteArrayOutputStream(), "png", 95), 15));
        // The floor under the PNG writer: zlib at level 1 over the raw RGB bytes, no row filters, no chunks.
        byte[] raw = new byte[3 * out * out];
        for (int i = 0; i < out * out; i++) {
            for (int c = 0; c < 3; c++) {
                raw[3 * i + c] = (byte) Image.to8(up.plane(c)[i]);
            }
        }
        long[] size = new long[1];
        System.out.printf("deflate level 1 of its raw bytes: %.1f ms", medianMs(() -> {
            java.util.zip.Deflater d = new java.util.zip.Deflater(1);
            d.setInput(raw);
            d.finish();
            byte[] buf = new byte[1 << 16];
            size[0] = 0;
            while (!d.finished()) {
                size[0] += d.deflate(buf);
            }
            d.end();
        }, 15));
        System.out.printf(" (%,d bytes to %,d)%n", raw.length, size[0]);
    }
}
