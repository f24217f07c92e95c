package io.shiftsr.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.shiftsr.weights.ReadOptions;
import io.shiftsr.weights.SafetensorsFile;
import io.shiftsr.weights.SafetensorsReader;
import io.shiftsr.weights.TensorData;
import io.shiftsr.weights.WeightsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Any bytes given to the safetensors parser end in tensors whose shapes match their values, or in a
 * {@link WeightsException}: never another exception or an allocation the header merely claims. Without
 * JAZZER_FUZZ this replays the committed corpus (…/SafetensorsFuzzTestInputs/parsesAnyBytes).
 */
class SafetensorsFuzzTest {
    private static final Path FILE;
    /** Limits as a caller loading untrusted weights would set them. */
    private static final ReadOptions LIMITS = ReadOptions.DEFAULTS.withMaxTensorNumel(1 << 20)
            .withMaxTotalNumel(1 << 22);

    static {
        try {
            FILE = Files.createTempFile("shiftsr-fuzz-", ".safetensors");
            FILE.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "50s")
    void parsesAnyBytes(byte[] bytes) throws IOException {
        Files.write(FILE, bytes);
        try {
            SafetensorsFile f = SafetensorsReader.read(FILE, LIMITS);
            for (TensorData t : f.tensors()) {
                if (TensorData.numel(t.shape()) != t.values().length) {
                    throw new IllegalStateException(t.name() + ": shape and values disagree");
                }
            }
        } catch (WeightsException expected) {
            if (expected.getMessage() == null || expected.getMessage().contains("\n")) {
                throw new IllegalStateException("error is not one line: " + expected.getMessage());
            }
        }
    }
}
