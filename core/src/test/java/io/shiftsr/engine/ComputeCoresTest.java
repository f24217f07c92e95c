package io.shiftsr.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "0 threads = all cores" must mean the cores Linux shows: libtorch's own default ran one thread on a 2-core
 * VM whose cores its cpuinfo library miscounted (ComputeCores).
 */
class ComputeCoresTest {
    @TempDir
    Path dir;

    private void cpu(String name, String file, String siblings) throws Exception {
        Path topology = Files.createDirectories(dir.resolve(name).resolve("topology"));
        Files.writeString(topology.resolve(file), siblings + "\n");
    }

    @Test
    void smtSiblingsCountAsOneCore() throws Exception {
        cpu("cpu0", "core_cpus_list", "0,2");
        cpu("cpu1", "core_cpus_list", "1,3");
        cpu("cpu2", "core_cpus_list", "0,2");
        cpu("cpu3", "core_cpus_list", "1,3");
        Files.createDirectories(dir.resolve("cpufreq")); // not a cpu
        assertEquals(2, ComputeCores.physicalCores(dir));
    }

    @Test
    void olderKernelsNameSiblingsInThreadSiblingsList() throws Exception {
        cpu("cpu0", "thread_siblings_list", "0");
        cpu("cpu1", "thread_siblings_list", "1");
        cpu("cpu2", "thread_siblings_list", "2");
        assertEquals(3, ComputeCores.physicalCores(dir));
    }

    @Test
    void noTopologyMeansUnknown() {
        assertEquals(0, ComputeCores.physicalCores(dir.resolve("absent")));
    }

    @Test
    void countIsWithinTheCpusThisProcessMayUse() {
        int n = ComputeCores.count();
        assertTrue(n >= 1 && n <= Runtime.getRuntime().availableProcessors(), String.valueOf(n));
        int physical = ComputeCores.physicalCores(Path.of("/sys/devices/system/cpu"));
        if (physical > 0) {
            assertEquals(Math.min(physical, Runtime.getRuntime().availableProcessors()), n);
        }
    }

    /** The child: the engine with no thread count asked for, as every command's --threads 0 starts it. */
    public static final class Probe {
        public static void main(String[] args) {
            Engine.init(0);
            System.out.println("threads " + Engine.threads() + " cores " + ComputeCores.count());
        }
    }

    @Test
    void noThreadCountUsesEveryCore() throws Exception {
        String out = ChildJvm.run(dir.resolve("child.log"), Probe.class, env -> env.remove("OMP_NUM_THREADS"));
        String line = out.lines().filter(l -> l.startsWith("threads ")).findFirst().orElseThrow(() -> new AssertionError(out));
        String[] f = line.split(" ");
        assertEquals(f[3], f[1], "libtorch's threads against the cores: " + line);
    }
}
