package io.shiftsr.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.shiftsr.train.TrainConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Any YAML text, and any key=value override on the bundled config, ends in a config that passed validation
 * or in one {@link TrainConfig.ConfigException} of one line: never another exception. Without JAZZER_FUZZ
 * this replays the committed corpus (…/ConfigFuzzTestInputs/readsAnyConfig).
 */
class ConfigFuzzTest {
    private static final Path FILE;
    private static final String BASE;

    static {
        try {
            FILE = Files.createTempFile("shiftsr-fuzz-", ".yaml");
            FILE.toFile().deleteOnExit();
            BASE = Files.readString(Path.of("configs/tiny.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void readsAnyConfig(FuzzedDataProvider data) throws IOException {
        String override = data.consumeString(200);
        String yaml = data.consumeBoolean() ? data.consumeRemainingAsString()
                : BASE.replace(data.consumeString(20), data.consumeRemainingAsString());
        Files.writeString(FILE, yaml);
        for (List<String> overrides : List.of(List.<String>of(), List.of(override))) {
            try {
                TrainConfig c = TrainConfig.load(FILE, overrides);
                c.diffusion().schedule();
                c.diffusion().objective();
            } catch (TrainConfig.ConfigException expected) {
                if (expected.getMessage() == null || expected.getMessage().contains("\n")) {
                    throw new IllegalStateException("error is not one line: " + expected.getMessage());
                }
            }
        }
    }
}
