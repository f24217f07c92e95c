package io.shiftsr.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shiftsr.ReferenceData;
import io.shiftsr.image.Image;
import io.shiftsr.image.ImageReading;
import io.shiftsr.image.MatlabBicubic;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Bicubic x4 of the reference LR scored against HR must match reference.json (DESIGN.md section 7). */
class ReferenceMetricsTest {

    @Test
    void bicubicBaselineMatchesReferenceJson() throws Exception {
        Path root = ReferenceData.root();
        JsonNode ref = new ObjectMapper().readTree(root.resolve("reference.json").toFile());
        double sumPsnr = 0;
        double sumSsim = 0;
        int n = 0;
        for (String name : ReferenceData.names()) {
            Image hr = ImageReading.read(root.resolve("hr/" + name + ".png"));
            Image lr = ImageReading.read(root.resolve("lr/" + name + ".png"));
            Image sr = MatlabBicubic.resize(lr, 4).quantize8();
            ImageMetrics m = ImageMetrics.of(sr, hr, 4);
            JsonNode r = ref.path("images").path(name);
            System.out.printf("%s psnr_y=%.4f (ref %.4f) ssim_y=%.4f (ref %.4f) psnr_rgb=%.4f%n", name,
                    m.psnrY(), r.path("psnr_y").asDouble(), m.ssimY(), r.path("ssim_y").asDouble(), m.psnrRgb());
            assertEquals(r.path("psnr_y").asDouble(), m.psnrY(), 0.01, name + " psnr_y on " + ReferenceData.describe(root));
            assertEquals(r.path("ssim_y").asDouble(), m.ssimY(), 0.0005, name + " ssim_y on " + ReferenceData.describe(root));
            sumPsnr += m.psnrY();
            sumSsim += m.ssimY();
            n++;
        }
        assertEquals(ref.path("n").asInt(), n);
        assertEquals(ref.path("mean").path("psnr_y").asDouble(), sumPsnr / n, 0.01, "mean psnr_y");
        assertEquals(ref.path("mean").path("ssim_y").asDouble(), sumSsim / n, 0.0005, "mean ssim_y");
    }
}
