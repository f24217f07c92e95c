package io.shiftsr.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** `cd /tmp && shiftsr bench` failed on configs/x4.yaml: project files are found beside the code, not the cwd. */
class DefaultModelTest {
    @Test
    void projectFilesAreFoundFromTheCodeLocationNotTheWorkingDirectory() {
        Path config = DefaultModel.besideProject("configs/x4.yaml");
        assertTrue(config.isAbsolute(), "resolved from the jar's or classes' folder, whatever the cwd: " + config);
        assertTrue(Files.isRegularFile(config), config.toString());
        assertTrue(DefaultModel.path().isAbsolute() && Files.isRegularFile(DefaultModel.path()));
    }
}
