/*
 * The PNG encode of one image as `upscale` does it (ImageWriting.writePngRows: 8-bit rows, Paeth, deflate on
 * every core), median of the last 10 of 60 runs (JIT warm), in ms, and the file size. docs/PERFORMANCE.md,
 * session 16: run it on a real upscale (not a tiled copy: LZ77 finds the repeats) with two jars alternating,
 * nothing else running:
 *   ./shiftsr upscale ../shared/data/val-x4/hr/skimage-coffee.png --scale 2 --out /tmp/up2
 *   java -cp "core/target/shiftsr.jar:core/target/lib/*" docs/bench/EncodeBench.java /tmp/up2/skimage-coffee.png
 */
import io.shiftsr.image.Image;
import io.shiftsr.image.ImageMetadata;
import io.shiftsr.image.ImageReading;
import io.shiftsr.image.ImageWriting;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Arrays;

public class EncodeBench {
    public static void main(String[] args) throws Exception {
        Image img = ImageReading.read(Path.of(args[0]));
        int w = img.width(), h = img.height(), ch = img.channels();
        float[][][] rows = new float[h][ch][w];
        for (int y = 0; y < h; y++) {
            for (int c = 0; c < ch; c++) {
                System.arraycopy(img.plane(c), y * w, rows[y][c], 0, w);
            }
        }
        double[] t = new double[60];
        long size = 0;
        for (int r = 0; r < t.length; r++) {
            ByteArrayOutputStream o = new ByteArrayOutputStream(4 << 20);
            long t0 = System.nanoTime();
            ImageWriting.writePngRows(o, w, h, ch, ImageMetadata.NONE, y -> rows[y]);
            t[r] = (System.nanoTime() - t0) / 1e6;
            size = o.size();
        }
        double[] last = Arrays.copyOfRange(t, t.length - 10, t.length);
        Arrays.sort(last);
        System.out.printf("%dx%d: median %.1f ms (min %.1f, max %.1f), %d KB%n", w, h, (last[4] + last[5]) / 2, last[0],
                last[9], size / 1024);
    }
}
