/*
 * Whether mirrored context at an image's borders (Real-ESRGAN's pre_pad) helps the model: each LR of SET padded
 * by K LR pixels on every side (half-sample mirror, as MATLAB's bicubic extends an image, so y0 inside is
 * unchanged), upscaled telling the model the unpadded image's --denoise reading, cropped back and scored as
 * `eval` scores (PSNR-Y, border = scale). K = 0 is the plain upscale. MODEL_CARD.md "What limits it", session 25
 * (+0.002 dB on val-rw-x4, -0.001 to -0.007 on val-rw-x2, level on clean x4: not adopted). From the project root
 * after a build:
 *   java -cp "core/target/shiftsr-run.jar:core/target/lib/*" docs/bench/BorderContext.java \
 *     models/shiftsr.safetensors ../shared/data/val-rw-x4 4 0,2,4,8          # SET with hr/ and lr/
 *   ... ../shared/data/val-x4 4 0,2,4,8 clean                                # hr/ only: LR by MATLAB bicubic
 */
import io.shiftsr.ShiftSr;
import io.shiftsr.image.*;
import io.shiftsr.data.PairedImages;
import io.shiftsr.metrics.ImageMetrics;
import java.nio.file.*;
import java.util.*;

public class BorderContext {
    static Image pad(Image lr, int k) {
        int w = lr.width(), h = lr.height(), W = w + 2 * k, H = h + 2 * k;
        float[][] p = new float[lr.channels()][W * H];
        for (int c = 0; c < p.length; c++) {
            float[] s = lr.plane(c);
            for (int y = 0; y < H; y++) {
                int sy = sym(y - k, h);
                for (int x = 0; x < W; x++) p[c][y * W + x] = s[sy * w + sym(x - k, w)];
            }
        }
        return Image.of(W, H, p);
    }
    static int sym(int i, int n) { return i < 0 ? -i - 1 : i >= n ? 2 * n - i - 1 : i; }
    static Image crop(Image img, int x0, int y0, int w, int h) {
        float[][] p = new float[img.channels()][w * h];
        for (int c = 0; c < p.length; c++)
            for (int y = 0; y < h; y++) System.arraycopy(img.plane(c), (y + y0) * img.width() + x0, p[c], y * w, w);
        return Image.of(w, h, p);
    }
    public static void main(String[] a) throws Exception {
        io.shiftsr.engine.Engine.init();
        ShiftSr sr = ShiftSr.load(Path.of(a[0]));
        Path set = Path.of(a[1]); int scale = Integer.parseInt(a[2]);
        int[] ks = Arrays.stream(a[3].split(",")).mapToInt(Integer::parseInt).toArray();
        boolean clean = a.length > 4; // hr only: the LR is the MATLAB-bicubic shrink
        double[] sum = new double[ks.length];
        List<Path> hrs = new ArrayList<>();
        try (var s = Files.list(set.resolve("hr"))) { s.sorted().forEach(hrs::add); }
        for (Path hrp : hrs) {
            String base = hrp.getFileName().toString().replaceAll("\\.[^.]*$", "");
            Image hr = ImageReading.read(hrp);
            Image lr;
            if (clean) { lr = io.shiftsr.image.Degradation.degrade(PairedImages.modCrop(hr, scale), scale); }
            else {
                Path lrp;
                try (var s = Files.list(set.resolve("lr"))) { lrp = s.filter(p -> p.getFileName().toString().startsWith(base + ".")).findFirst().get(); }
                lr = ImageReading.read(lrp);
            }
            var told = sr.denoiseReading(lr);
            StringBuilder line = new StringBuilder(base);
            for (int i = 0; i < ks.length; i++) {
                int k = ks[i];
                Image up = sr.upscale(k == 0 ? lr : pad(lr, k), scale, told, null);
                if (k > 0) up = crop(up, k * scale, k * scale, lr.width() * scale, lr.height() * scale);
                Image[] pr = PairedImages.aligned(up.quantize8(), hr, scale);
                double p = ImageMetrics.of(pr[0], pr[1], scale).psnrY();
                sum[i] += p;
                line.append(String.format(" k%d=%.4f", k, p));
            }
            System.out.println(line + " " + told.describe());
        }
        StringBuilder m = new StringBuilder("mean");
        for (int i = 0; i < ks.length; i++) m.append(String.format(" k%d=%.4f", ks[i], sum[i] / hrs.size()));
        System.out.println(m);
    }
}
