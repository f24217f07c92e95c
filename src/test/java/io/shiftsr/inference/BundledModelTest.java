package io.shiftsr.inference;

import static org.junit.jupiter.api.Assertions.*;

import io.shiftsr.image.Degradation;
import io.shiftsr.image.Image;
import io.shiftsr.image.ImageFiles;
import io.shiftsr.image.MatlabBicubic;
import io.shiftsr.metrics.Psnr;
import io.shiftsr.model.ShiftSrModel;
import io.shiftsr.weights.ModelFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The shipped model loads and beats bicubic on a bundled crop of a validation image (no ../shared needed). */
class BundledModelTest {

    @Test
    void bundledModelBeatsBicubicOnABundledValidationCrop() throws Exception {
        ShiftSrModel model = ModelFiles.load(Path.of("models/shiftsr-x4.safetensors"));
        Image hr = ImageFiles.read(Path.of(getClass().getResource("/val/astronaut-hr-crop.png").toURI()));
        Image lr = Degradation.degrade(hr, 4);
        Image bicubic = MatlabBicubic.resize(lr, 4).quantize8();
        Image sr = new DiffusionUpscaler(model, UpscaleOptions.deltaDiff(4)).upscale(lr, 4).quantize8();
        double pb = Psnr.y(bicubic, hr, 4);
        double ps = Psnr.y(sr, hr, 4);
        System.out.printf("bundled model on the astronaut crop: psnr_y %.3f vs bicubic %.3f%n", ps, pb);
        assertTrue(ps > pb + 0.2, ps + " vs bicubic " + pb);
    }
}
