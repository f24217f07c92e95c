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

    @Test
    void theOldNameOfTheBundledFileStillWorksWithANotice() {
        CliTest.Run info = CliTest.run("info", "models/shiftsr-x4.safetensors");
        assertEquals(0, info.code(), info.err());
        assertTrue(info.err().contains("notice: shiftsr-x4.safetensors is now shiftsr.safetensors"), info.err());
        assertEquals(1, info.errLines().stream().filter(l -> !l.isBlank()).count(), "one line: " + info.err());
        assertTrue(info.out().contains("parameters:"), info.out());
        // Any other missing file is still an error.
        CliTest.Run missing = CliTest.run("info", "models/nope.safetensors");
        assertEquals(ExitCode.BAD_INPUT, missing.code(), missing.err());
    }

    @Test
    void theCopyInTheJarCarriesItsNameAndMetadata() {
        // What info, eval, bench and upscale read when no file is beside the code (a library jar).
        try (io.shiftsr.ShiftSr sr = io.shiftsr.ShiftSr.load()) {
            assertEquals("shiftsr.safetensors", sr.name());
            assertEquals("shiftsr-model", sr.model().metadata().get("format"));
        }
    }
}
