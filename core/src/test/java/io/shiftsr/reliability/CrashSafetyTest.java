package io.shiftsr.reliability;

import static org.junit.jupiter.api.Assertions.*;

import io.shiftsr.image.Image;
import io.shiftsr.image.ImageReading;
import io.shiftsr.image.TestImages;
import io.shiftsr.train.Checkpoints;
import io.shiftsr.train.TrainConfig;
import io.shiftsr.train.Trainer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 (SIGKILL: no shutdown hook runs) of a child JVM in the middle of writing outputs and checkpoints:
 * the previous file must be whole afterwards, and training must resume from the newest whole checkpoint.
 */
class CrashSafetyTest {
    @TempDir
    Path dir;

    private static Process child(Path log, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), CrashChild.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            assertTrue(p.isAlive(), "child died: " + Files.readString(log));
            assertTrue(System.nanoTime() < deadline, "child too slow: " + Files.readString(log));
            Thread.sleep(20);
        }
    }

    /** Starts the image-rewriting child, lets it finish one file and stop somewhere inside a later write. */
    private Process writerStoppedMidWrite(Path out, Path log, Random r, boolean kill) throws Exception {
        Process p = child(log, "image", out.toString());
        waitFor(() -> read(log).contains("wrote 1"), p, log);
        Thread.sleep(50 + r.nextInt(400)); // somewhere inside a later write
        if (kill) {
            p.destroyForcibly(); // SIGKILL on Linux
        } else {
            p.destroy(); // SIGTERM on Linux
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return p;
    }

    @Test
    void killDuringOutputWritesLeavesTheLastWholeFile() throws Exception {
        Path out = dir.resolve("out.png");
        Random r = new Random(1);
        for (int round = 0; round < 3; round++) {
            Path log = dir.resolve("image-" + round + ".log");
            writerStoppedMidWrite(out, log, r, true);
            String[] lines = read(log).split("\\R");
            int last = Integer.parseInt(lines[lines.length - 1].replace("wrote ", "").trim());
            Image img = ImageReading.read(out);
            assertEquals(1500, img.width());
            // The file is exactly one finished version: the last reported or the one after (killed after rename).
            Image expected = TestImages.noise(1500, 1500, 3, false, last).quantize8();
            Image next = TestImages.noise(1500, 1500, 3, false, last + 1).quantize8();
            boolean isLast = same(img, expected), isNext = same(img, next);
            assertTrue(isLast || isNext, "round " + round + ": output is neither version " + last + " nor " + (last + 1));
        }
    }

    @Test
    void sigtermDuringAWriteLeavesNoTempFile() throws Exception {
        // timeout(1) and service managers stop with SIGTERM: the JVM then runs its shutdown hooks but no
        // finally blocks, so the temp file being written must be removed by AtomicFiles' hook.
        Path out = dir.resolve("term.png");
        Random r = new Random(2);
        for (int round = 0; round < 3; round++) {
            writerStoppedMidWrite(out, dir.resolve("term-" + round + ".log"), r, false);
            try (Stream<Path> files = Files.list(dir)) {
                List<String> temps = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
                assertTrue(temps.isEmpty(), "round " + round + ": temp files left " + temps);
            }
            assertEquals(1500, ImageReading.read(out).width(), "the output is whole");
        }
    }

    @Test
    void killDuringTrainingKeepsWholeCheckpointsAndResumeContinues() throws Exception {
        Path train = Files.createDirectories(dir.resolve("photos"));
        for (int i = 0; i < 3; i++) {
            TestImages.write(train.resolve("p" + i + ".png"), 80, 72, 3, false);
        }
        Path run = dir.resolve("run");
        List<String> sets = List.of("data.train=\"" + train + "\"", "data.val=\"" + dir.resolve("none") + "\"",
                "data.shrinkFirst=1", "data.crop=64", "data.batch=2", "optim.totalSteps=100000",
                "optim.threads=1", "run.validateEvery=0", "run.checkpointEvery=3", "run.keep=100", "run.logEvery=1");
        List<String> args = new ArrayList<>(List.of("train", "--config", "configs/tiny.yaml", "--run-dir",
                run.toString(), "-q"));
        sets.forEach(s -> args.addAll(List.of("--set", s)));
        Path log = dir.resolve("train.log");
        Process p = child(log, args.toArray(String[]::new));
        Path ckpts = run.resolve("checkpoints");
        waitFor(() -> count(ckpts, ".safetensors") >= 3, p, log);
        Thread.sleep(new Random(2).nextInt(300));
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));

        // Every checkpoint file (temp files aside) is whole; the newest one is what --resume takes.
        long newest = 0;
        try (Stream<Path> files = Files.list(ckpts)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("step-")).toList()) {
                Checkpoints.State st = Checkpoints.load(f);
                newest = Math.max(newest, st.step());
            }
        }
        assertTrue(newest >= 6, "checkpoints up to step " + newest);
        List<String> resumed = new ArrayList<>(sets);
        resumed.set(resumed.indexOf("optim.totalSteps=100000"), "optim.totalSteps=" + (newest + 2));
        resumed.add("run.dir=\"" + run + "\"");
        TrainConfig cfg = TrainConfig.load(Path.of("configs/tiny.yaml"), resumed);
        List<String> messages = new ArrayList<>();
        Trainer.Outcome o = new Trainer(cfg, new Trainer.Listener() {
            @Override
            public void message(String line) {
                messages.add(line);
            }

            @Override
            public void progress(long step, long total, double loss, double lr, double samplesPerS) {}
        }).run(true);
        assertEquals(newest, o.firstStep(), String.join("\n", messages));
        assertEquals(newest + 2, o.lastStep());
        assertTrue(messages.contains("resumed from step " + newest), String.join("\n", messages));
    }

    /** Same 8-bit content at a spread of pixels (the versions are independent noise). */
    private static boolean same(Image a, Image b) {
        for (int i = 0; i < 1500 * 1500; i += 9973) {
            for (int c = 0; c < 3; c++) {
                if (Math.abs(a.plane(c)[i] - b.plane(c)[i]) > 1e-4f) {
                    return false;
                }
            }
        }
        return true;
    }

    private static long count(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().startsWith("step-") && f.toString().endsWith(suffix))
                    .count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static String read(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
