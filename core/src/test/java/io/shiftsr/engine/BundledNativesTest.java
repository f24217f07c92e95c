package io.shiftsr.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A machine with another libtorch installed (Debian's python3-torch puts libtorch_cpu.so and libc10.so in
 * /lib/x86_64-linux-gnu) must still run on the bundled natives, on the first run with an empty cache too.
 * A child JVM starts with an empty JavaCPP cache and a directory of decoy libraries of those names on
 * LD_LIBRARY_PATH, which the dynamic linker searches before the bundled libraries' RUNPATH and before the
 * system directories: a stricter stand-in for the system libtorch. Before the fix this child crashed or failed
 * to link (and the real Debian libtorch crashed the first run: docs/RELIABILITY.md).
 */
class BundledNativesTest {
    @TempDir
    Path dir;

    /** The child: loads the engine, runs an op, prints the file of every libtorch/c10/gomp mapping. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            Engine.init(1);
            try (Scope scope = Scope.open()) {
                System.out.println("sum " + Tensor.zeros(2, 3).add(1.0).sum().item());
            }
            try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
                lines.map(l -> l.substring(l.lastIndexOf(' ') + 1))
                        .filter(p -> p.matches(".*/lib(torch|c10|gomp)[^/]*")).distinct()
                        .forEach(p -> System.out.println("mapped " + p));
            }
        }
    }

    @Test
    void bundledNativesWinOverLibrariesOnTheSearchPath() throws Exception {
        Path decoys = Files.createDirectories(dir.resolve("system-lib"));
        // Any shared object of another name stands in: the JDK's own libzip has none of libtorch's symbols.
        Path anyLibrary = Path.of(System.getProperty("java.home"), "lib", "libzip.so");
        for (String name : List.of("libtorch_cpu.so", "libc10.so", "libtorch.so", "libgomp.so.1")) {
            Files.copy(anyLibrary, decoys.resolve(name));
        }
        Path cache = dir.resolve("empty-cache");
        String out = ChildJvm.run(dir.resolve("child.log"), Probe.class,
                env -> env.put("LD_LIBRARY_PATH", decoys.toString()), "-Dorg.bytedeco.javacpp.cachedir=" + cache);
        assertTrue(out.contains("sum 6.0"), out);
        List<String> mapped = out.lines().filter(l -> l.startsWith("mapped ")).map(l -> l.substring(7)).toList();
        assertTrue(mapped.stream().anyMatch(m -> m.endsWith("/libtorch_cpu.so")), "libtorch_cpu.so not mapped:\n" + out);
        for (String m : mapped) {
            assertTrue(Path.of(m).startsWith(cache.toRealPath()) || Path.of(m).startsWith(cache),
                    "a library from outside the bundled natives is mapped: " + m + "\n" + out);
        }
    }
}
