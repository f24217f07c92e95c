package io.shiftsr.inference;

import io.shiftsr.sr.Sampling;
import static org.junit.jupiter.api.Assertions.*;

import io.shiftsr.data.PairedImages;
import io.shiftsr.engine.Precision;
import io.shiftsr.image.Degradation;
import io.shiftsr.image.Image;
import io.shiftsr.image.ImageReading;
import io.shiftsr.metrics.Psnr;
import io.shiftsr.sr.ShiftSrModel;
import io.shiftsr.sr.ModelFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * bfloat16 inference stays within 0.02 dB PSNR-Y of fp32 with the bundled model at its default setting, and
 * switching back to fp32 gives fp32's output exactly.
 */
class PrecisionTest {
    @org.junit.jupiter.api.Test
    void backToFp32RestoresTheExactWeightsOnEveryCpu() {
        // The weights' round trip needs no bfloat16 arithmetic, so it runs everywhere (the output check below
        // needs the hardware to be worth its time).
        ShiftSrModel model = ModelFiles.load(Path.of("models/shiftsr.safetensors"));
        java.util.Map<String, float[]> before = new java.util.LinkedHashMap<>();
        model.net().namedParameters().forEach((n, w) -> before.put(n, w.toFloatArray()));
        assertEquals(Precision.BF16, model.toPrecision(Precision.BF16));
        boolean rounded = model.net().namedParameters().entrySet().stream()
                .anyMatch(e -> !java.util.Arrays.equals(before.get(e.getKey()), e.getValue().toFloatArray()));
        assertTrue(rounded, "bf16 weights must differ from fp32 ones somewhere (else the test proves nothing)");
        assertEquals(Precision.FP32, model.toPrecision(Precision.FP32));
        model.net().namedParameters().forEach((n, w) -> assertArrayEquals(before.get(n), w.toFloatArray(), n));
        model.release();
    }

    @ParameterizedTest(name = "x{0}")
    @ValueSource(doubles = {4, 2.5, 1.5})
    void bf16MatchesFp32WithinTwoHundredthsOfADecibel(double scale) throws Exception {
        Assumptions.assumeTrue(Precision.hasBf16Hardware(), "no native bfloat16 on this CPU");
        Image hr = ImageReading.read(Path.of(PrecisionTest.class.getResource("/val/astronaut-hr-crop.png").toURI()));
        Image target = PairedImages.modCrop(hr, scale);
        Image lr = Degradation.degrade(target, scale);
        ShiftSrModel model = ModelFiles.load(Path.of("models/shiftsr.safetensors"));
        DiffusionUpscaler up = new DiffusionUpscaler(model, Sampling.deltaDiff(model.defaultSteps()));
        Image fp32 = up.upscale(lr, scale).quantize8();
        assertEquals(Precision.BF16, model.toPrecision(Precision.AUTO));
        Image bf16 = up.upscale(lr, scale).quantize8();
        int border = (int) Math.ceil(scale);
        Image[] a = PairedImages.aligned(fp32, target, scale), b = PairedImages.aligned(bf16, target, scale);
        double p32 = Psnr.y(a[0], a[1], border), p16 = Psnr.y(b[0], b[1], border);
        System.out.printf(java.util.Locale.ROOT, "x%s psnr_y fp32 %.4f bf16 %.4f (%+.4f)%n", scale, p32, p16, p16 - p32);
        assertEquals(p32, p16, 0.02);
        assertFalse(fp32.sameContent(bf16), "bf16 did not run (identical output)");
        // Back to fp32 restores the exact weights (not bf16's rounded ones): the output is fp32's again.
        assertEquals(Precision.FP32, model.toPrecision(Precision.FP32));
        assertTrue(up.upscale(lr, scale).quantize8().sameContent(fp32), "fp32 after bf16 differs from fp32");
    }
}
