package io.shiftsr.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A main class of the tests run in a fresh JVM (process-wide native set-up can only be checked there). */
final class ChildJvm {
    private ChildJvm() {}

    /**
     * Runs {@code main} on the test class path with {@code jvmArgs}, its environment edited by {@code env},
     * output to {@code log}; fails unless it exits 0 within 180 s, and returns what it printed.
     */
    static String run(Path log, Class<?> main, Consumer<Map<String, String>> env, String... jvmArgs) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        env.accept(pb.environment());
        Process p = pb.start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "child did not finish");
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), "child failed:\n" + out);
        return out;
    }
}
