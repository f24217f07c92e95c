package io.shiftsr;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What the repository promises about its own files. */
class RepositoryTest {
    /** models/resume keeps only the newest state of each run (RUN-step-NNNNNNNN.safetensors), beside its log. */
    @Test
    void resumeStatesAreTheNewestOfEachRun() throws Exception {
        Path dir = Path.of("models/resume");
        List<String> states;
        try (var files = Files.list(dir)) {
            states = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".safetensors")).sorted().toList();
        }
        assertFalse(states.isEmpty());
        Map<String, List<String>> byRun = states.stream().collect(Collectors.groupingBy(
                n -> n.replaceFirst("-step-\\d+\\.safetensors$", "")));
        byRun.forEach((run, files) -> {
            assertEquals(1, files.size(), "run " + run + " keeps more than its newest state: " + files);
            assertTrue(Files.exists(dir.resolve(run + "-log.csv")), run + " has no log beside its state");
        });
    }
}
