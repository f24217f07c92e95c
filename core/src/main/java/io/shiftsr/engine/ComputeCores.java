package io.shiftsr.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * How many compute threads "all cores" means: the physical cores this process may run on.
 *
 * <p>Why not libtorch's own default: it counts cores through the cpuinfo library, which on some virtual
 * machines (a 2-core AMD EPYC family 26 here, 2026-12-02) reports one core where Linux shows two, so every
 * convolution ran on one thread and training at 15 instead of 24 crops/s. Linux's own topology (sysfs) is what
 * the scheduler uses; SMT siblings count once, as libtorch intends.
 */
public final class ComputeCores {
    private ComputeCores() {}

    private static volatile int counted; // 0 until first asked: the CPUs a process may use do not change under it here

    /** Physical cores among the CPUs this JVM may use; at least 1 (read once). */
    public static int count() {
        int c = counted;
        if (c == 0) {
            c = counted = countNow();
        }
        return c;
    }

    private static int countNow() {
        int allowed = Runtime.getRuntime().availableProcessors();
        int physical = physicalCores(Path.of("/sys/devices/system/cpu"));
        return Math.max(1, physical > 0 ? Math.min(allowed, physical) : allowed);
    }

    /**
     * Distinct physical cores under a sysfs cpu folder (each cpuN's topology/core_cpus_list, or
     * thread_siblings_list on older kernels, names the logical CPUs of its core); 0 when it cannot be read.
     */
    static int physicalCores(Path cpuRoot) {
        Set<String> cores = new HashSet<>();
        try (Stream<Path> cpus = Files.list(cpuRoot)) {
            for (Path cpu : (Iterable<Path>) cpus::iterator) {
                if (!cpu.getFileName().toString().matches("cpu\\d+")) {
                    continue;
                }
                Path topology = cpu.resolve("topology");
                Path siblings = topology.resolve("core_cpus_list");
                if (!Files.isReadable(siblings)) {
                    siblings = topology.resolve("thread_siblings_list");
                }
                if (Files.isReadable(siblings)) {
                    cores.add(Files.readString(siblings).trim());
                }
            }
        } catch (IOException | SecurityException e) {
            return 0;
        }
        return cores.size();
    }
}
