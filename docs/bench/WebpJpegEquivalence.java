/*
 * The JPEG quality that loses as much as each libwebp quality: DegradationLevel.WEBP_AS_JPEG. Every 8th of the
 * training photos (24 of them), shrunk by 4 with MATLAB bicubic and rounded to 8 bits as an LR is, saved by the
 * JDK's JPEG encoder at every quality 1-100 and by libwebp (lossy, its defaults) at every quality; for WebP
 * qualities 0, 10, ... 100 it prints the mean PSNR-Y of the decoded files and the JPEG quality of the same mean
 * PSNR-Y (linear between qualities). Session 15, from the project root:
 *   ./shiftsr info > /dev/null    # builds core/target/shiftsr-run.jar
 *   java -cp "core/target/shiftsr-run.jar:core/target/lib/*" docs/bench/WebpJpegEquivalence.java ../shared/data/train
 */
import io.shiftsr.image.*;
import io.shiftsr.metrics.Psnr;
import java.io.ByteArrayOutputStream;
import java.nio.file.*;
import java.util.*;

public class WebpJpegEquivalence {
    public static void main(String[] args) throws Exception {
        List<Path> files;
        try (var s = Files.list(Path.of(args[0]))) {
            files = s.sorted().toList();
        }
        List<Image> lrs = new ArrayList<>();
        for (int i = 0; i < files.size() && lrs.size() < 24; i += 8) {
            Image hr = ImageReading.read(files.get(i)).toRgb();
            lrs.add(MatlabBicubic.resize(hr, hr.width() / 4, hr.height() / 4, 0.25).quantize8());
        }
        double[] jpeg = new double[101], webp = new double[101];
        for (int q = 0; q <= 100; q++) {
            for (Image lr : lrs) {
                if (q > 0) {
                    ByteArrayOutputStream o = new ByteArrayOutputStream();
                    ImageWriting.write(lr, o, "jpg", q);
                    jpeg[q] += Psnr.y(ImageReading.read(o.toByteArray(), "jpeg", Long.MAX_VALUE).toRgb(), lr, 0) / lrs.size();
                }
                webp[q] += Psnr.y(ImageReading.read(WebpEncoding.encode(lr, q, false), "webp", Long.MAX_VALUE).toRgb(), lr, 0)
                        / lrs.size();
            }
        }
        System.out.println("webp_q psnr_y jpeg_q_of_same_psnr_y");
        for (int q = 0; q <= 100; q += 10) {
            double eq = 100;
            for (int j = 2; j <= 100; j++) {
                if (jpeg[j] >= webp[q]) {
                    eq = jpeg[j] > jpeg[j - 1] ? j - 1 + (webp[q] - jpeg[j - 1]) / (jpeg[j] - jpeg[j - 1]) : j;
                    eq = Math.max(1, eq);
                    break;
                }
            }
            System.out.printf(Locale.ROOT, "%d %.2f %.1f%n", q, webp[q], eq);
        }
    }
}
