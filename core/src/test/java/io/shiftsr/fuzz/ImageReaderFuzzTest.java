package io.shiftsr.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.shiftsr.image.Image;
import io.shiftsr.image.ImageException;
import io.shiftsr.image.ImageReading;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Any bytes given to the image reader end in an image or in an {@link ImageException} (the one-line error the
 * CLI prints): never another exception, a hang or an out-of-memory. The reader takes a path, so each input is
 * written to one reused temp file. Without JAZZER_FUZZ this replays the committed corpus
 * (src/test/resources/io/shiftsr/fuzz/ImageReaderFuzzTestInputs/readsAnyBytes).
 */
class ImageReaderFuzzTest {
    private static final Path FILE;
    /** Small enough that a valid header of any plausible size decodes quickly. */
    private static final long MAX_PIXELS = 1 << 20;

    static {
        try {
            FILE = Files.createTempFile("shiftsr-fuzz-", ".img");
            FILE.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "50s")
    void readsAnyBytes(byte[] bytes) throws IOException {
        Files.write(FILE, bytes);
        try {
            Image img = ImageReading.read(FILE, MAX_PIXELS);
            if (img.width() < 1 || img.height() < 1 || (long) img.width() * img.height() > MAX_PIXELS) {
                throw new IllegalStateException("reader returned a " + img.width() + "x" + img.height() + " image");
            }
        } catch (ImageException expected) {
            if (expected.getMessage() == null || expected.getMessage().contains("\n")) {
                throw new IllegalStateException("error is not one line: " + expected.getMessage());
            }
        }
    }
}
