package io.shiftsr.inference;

import static org.junit.jupiter.api.Assertions.*;

import io.shiftsr.image.Degradation;
import io.shiftsr.image.Image;
import io.shiftsr.image.ImageFormats;
import io.shiftsr.image.ImageReading;
import io.shiftsr.image.ImageWriting;
import io.shiftsr.image.InputFiles;
import io.shiftsr.image.MatlabBicubic;
import io.shiftsr.metrics.Psnr;
import io.shiftsr.sr.ShiftSrModel;
import io.shiftsr.weights.ModelFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped model loads and beats bicubic on a bundled crop of a validation image (no ../shared needed), at
 * every integer scale it was trained for, with the CLI's default process and step count (DeltaDiff, 2 steps).
 */
class BundledModelTest {

    private static ShiftSrModel model;
    private static Image hr;

    @BeforeAll
    static void load() throws Exception {
        model = ModelFiles.load(Path.of("models/shiftsr-x4.safetensors"));
        hr = ImageReading.read(Path.of(BundledModelTest.class.getResource("/val/astronaut-hr-crop.png").toURI()));
    }

    @ParameterizedTest(name = "x{0}")
    @ValueSource(ints = {2, 3, 4})
    void bundledModelBeatsBicubicOnABundledValidationCrop(int scale) throws Exception {
        // Mod-crop so the LR is an exact 1/scale of the HR, as eval does.
        Image target = hr.crop(0, 0, hr.width() / scale * scale, hr.height() / scale * scale);
        Image lr = Degradation.degrade(target, scale);
        Image bicubic = MatlabBicubic.resize(lr, scale).quantize8();
        Image sr = new DiffusionUpscaler(model, UpscaleOptions.deltaDiff(2)).upscale(lr, scale).quantize8();
        double pb = Psnr.y(bicubic, target, scale);
        double ps = Psnr.y(sr, target, scale);
        System.out.printf("bundled model x%d on the astronaut crop: psnr_y %.3f vs bicubic %.3f (%+.3f)%n",
                scale, ps, pb, ps - pb);
        assertTrue(ps > pb + 0.2, "x" + scale + ": " + ps + " vs bicubic " + pb);
    }
}
