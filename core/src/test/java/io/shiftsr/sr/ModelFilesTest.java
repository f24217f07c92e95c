package io.shiftsr.sr;

import io.shiftsr.weights.*;

import static org.junit.jupiter.api.Assertions.*;

import io.shiftsr.diffusion.Schedule;
import io.shiftsr.engine.Rng;
import io.shiftsr.engine.Scope;
import io.shiftsr.engine.Tensor;
import io.shiftsr.latent.UnshuffleCodec;
import io.shiftsr.model.SrNetwork;
import io.shiftsr.model.ModelConfig;
import io.shiftsr.sr.ShiftSrModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFilesTest {
    @TempDir
    Path dir;

    static final ModelConfig SMALL = new ModelConfig(48, 8, new int[] {1, 2}, new int[] {1, 1}, new int[] {1}, 16,
            true, true, true);

    @Test
    void aModelFileDescribesItselfAndRoundTripsExactly() {
        ShiftSrModel m = new ShiftSrModel(new SrNetwork(SMALL, 4), Schedule.resShift(), new UnshuffleCodec());
        Path f = dir.resolve("m.safetensors");
        ModelFiles.save(m, f, DType.F32);
        ShiftSrModel back = ModelFiles.load(f);
        assertEquals(SMALL, back.net().config());
        assertEquals(Schedule.resShift(), back.schedule());
        assertEquals("unshuffle4", back.codec().name());
        Map<String, Tensor> a = m.net().namedParameters(), b = back.net().namedParameters();
        assertEquals(a.keySet(), b.keySet());
        a.forEach((k, t) -> assertArrayEquals(t.toFloatArray(), b.get(k).toFloatArray(), k));
    }

    @Test
    void aCleanNetworkTravelsInTheFileAndServesLevelZeroExactly() {
        ModelConfig aware = new ModelConfig(48, 8, new int[] {1}, new int[] {2}, new int[] {}, 16, true, false, false,
                true, true);
        ModelConfig plain = new ModelConfig(48, 8, new int[] {1}, new int[] {2}, new int[] {}, 16, true, false, false,
                true);
        ShiftSrModel clean = new ShiftSrModel(new SrNetwork(plain, 5), Schedule.deltaDiff(), new UnshuffleCodec());
        ShiftSrModel real = new ShiftSrModel(new SrNetwork(aware, 6), Schedule.deltaDiff(), new UnshuffleCodec())
                .withCleanNetwork(clean.net());
        try (io.shiftsr.engine.Engine.GradGuard g = io.shiftsr.engine.Engine.gradDisabled()) {
            // Fresh networks end in zero-initialised layers (output = y0); give both something to say.
            clean.net().namedParameters().values().forEach(p -> p.addInPlace(0.01));
            real.net().namedParameters().values().forEach(p -> p.addInPlace(0.02));
        }
        Path f = dir.resolve("pair.safetensors");
        ModelFiles.save(real, f, DType.F32);
        ShiftSrModel back = ModelFiles.load(f);
        assertNotNull(back.cleanNetwork());
        assertEquals(plain, back.cleanNetwork().config());
        try (io.shiftsr.engine.Scope s = io.shiftsr.engine.Scope.open()) {
            io.shiftsr.engine.Rng rng = new io.shiftsr.engine.Rng(1);
            Tensor x = rng.randn(1, 48, 8, 8), y = rng.randn(1, 48, 8, 8);
            // Level 0 is the clean network's output, bit for bit; any other level is the main network's.
            assertArrayEquals(clean.denoiser(3).predictX0(x, y, 4).toFloatArray(),
                    back.denoiser(3, 0).predictX0(x, y, 4).toFloatArray());
            assertArrayEquals(real.denoiser(3, 0.5).predictX0(x, y, 4).toFloatArray(),
                    back.denoiser(3, 0.5).predictX0(x, y, 4).toFloatArray());
            assertFalse(java.util.Arrays.equals(back.denoiser(3, 0).predictX0(x, y, 4).toFloatArray(),
                    back.denoiser(3, 0.5).predictX0(x, y, 4).toFloatArray()));
        }
        // Only a degradation-aware model takes one, and the clean one must not be degradation-aware itself.
        assertThrows(IllegalArgumentException.class, () -> clean.withCleanNetwork(clean.net()));
        assertThrows(IllegalArgumentException.class, () -> real.withCleanNetwork(real.net()));
    }

    @Test
    void theDefaultSettingRoundTripsAndOldFilesRunWithoutAnEnsemble() throws Exception {
        ShiftSrModel m = new ShiftSrModel(new SrNetwork(SMALL, 4), Schedule.resShift(), new UnshuffleCodec())
                .withDefaults(1, 2);
        Path f = dir.resolve("m.safetensors");
        ModelFiles.save(m, f, DType.F32);
        ShiftSrModel back = ModelFiles.load(f);
        assertEquals(1, back.defaultSteps());
        assertEquals(2, back.defaultEnsemble());
        assertEquals(back.flopsPerOutputPixel() * 2, back.defaultFlopsPerOutputPixel(), 1e-9);

        // A file written before the key existed: no ensemble, the behaviour it was shipped with.
        SafetensorsFile raw = SafetensorsReader.read(f);
        Map<String, String> meta = new java.util.LinkedHashMap<>(raw.metadata());
        meta.remove(ModelFiles.DEFAULT_ENSEMBLE);
        Path old = dir.resolve("old.safetensors");
        SafetensorsWriter.write(old, raw.tensors(), meta, DType.F32);
        assertEquals(1, ModelFiles.load(old).defaultEnsemble());

        meta.put(ModelFiles.DEFAULT_ENSEMBLE, "3");
        Path bad = dir.resolve("bad.safetensors");
        SafetensorsWriter.write(bad, raw.tensors(), meta, DType.F32);
        WeightsException e = assertThrows(WeightsException.class, () -> ModelFiles.load(bad));
        assertTrue(e.getMessage().contains("default_ensemble must be 1, 2, 4 or 8"), e.getMessage());
    }

    @Test
    void halfPrecisionStorageStaysClose() {
        ShiftSrModel m = new ShiftSrModel(new SrNetwork(SMALL, 5), Schedule.deltaDiff(), new UnshuffleCodec());
        Path f = dir.resolve("h.safetensors");
        ModelFiles.save(m, f, DType.F16);
        ShiftSrModel back = ModelFiles.load(f);
        m.net().namedParameters().forEach((k, t) ->
                assertArrayEquals(t.toFloatArray(), back.net().namedParameters().get(k).toFloatArray(), 2e-3f, k));
    }

    @Test
    void refusesAnotherArchitectureNamingTheFirstMismatch() throws Exception {
        ShiftSrModel m = new ShiftSrModel(new SrNetwork(SMALL, 4), Schedule.resShift(), new UnshuffleCodec());
        Path f = dir.resolve("m.safetensors");
        ModelFiles.save(m, f, DType.F32);
        // Same tensors, but metadata claiming a wider network.
        SafetensorsFile raw = SafetensorsReader.read(f);
        Map<String, String> meta = new java.util.LinkedHashMap<>(raw.metadata());
        meta.put("model_config", meta.get("model_config").replace("\"width\":8", "\"width\":16"));
        Path lying = dir.resolve("lying.safetensors");
        SafetensorsWriter.write(lying, raw.tensors(), meta, DType.F32);
        WeightsException e = assertThrows(WeightsException.class, () -> ModelFiles.load(lying));
        assertTrue(e.getMessage().contains("expected shape"), e.getMessage());
        // A file that is not a model at all.
        Path other = dir.resolve("other.safetensors");
        SafetensorsWriter.write(other, raw.tensors(), Map.of(), DType.F32);
        assertTrue(assertThrows(WeightsException.class, () -> ModelFiles.load(other)).getMessage()
                .contains("not a ShiftSR model file"));
        // A truncated one.
        byte[] bytes = Files.readAllBytes(f);
        Path cut = Files.write(dir.resolve("cut.safetensors"), java.util.Arrays.copyOf(bytes, bytes.length - 100));
        assertTrue(assertThrows(WeightsException.class, () -> ModelFiles.load(cut)).getMessage().contains("truncated"));
    }

    @Test
    void unshuffleCodecRoundTripIsExact() {
        try (Scope s = Scope.open()) {
            Tensor img = new Rng(1).randn(2, 3, 24, 40);
            UnshuffleCodec c = new UnshuffleCodec();
            Tensor latent = c.encode(img);
            assertArrayEquals(new long[] {2, 48, 6, 10}, latent.shape());
            assertArrayEquals(img.toFloatArray(), c.decode(latent).toFloatArray());
        }
    }
}
