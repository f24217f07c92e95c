package io.shiftsr.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shiftsr.image.TestImages;
import io.shiftsr.inference.DiffusionUpscalerTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `upscale --jobs`: several images at once give the same files, records and errors as one at a time. */
class UpscaleJobsTest {
    @TempDir
    Path dir;

    @Test
    void twoJobsWriteTheSameBytesRecordsAndErrorsAsOne() throws Exception {
        Path model = dir.resolve("random.safetensors");
        DiffusionUpscalerTest.saveTinyModel(model);
        Path in = Files.createDirectories(dir.resolve("in"));
        int[][] sizes = {{37, 53}, {20, 16}, {24, 20}, {64, 48}, {16, 40}, {33, 33}};
        for (int i = 0; i < sizes.length; i++) {
            TestImages.write(in.resolve("img" + i + ".png"), sizes[i][0], sizes[i][1], i == 1 ? 1 : 3, i == 2);
        }
        Files.write(in.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "two jobs need 2 cores");
        Map<String, Map<String, String>> records = new TreeMap<>();
        for (String jobs : new String[] {"1", "2"}) {
            Path out = dir.resolve("out" + jobs);
            // an output already there is kept and its input skipped, in either mode
            Files.createDirectories(out);
            Files.write(out.resolve("img5.png"), new byte[] {42});
            CliTest.Run r = CliTest.run("upscale", in.toString(), "--out", out.toString(), "--model", model.toString(),
                    "--jobs", jobs, "--jsonl", dir.resolve("records" + jobs + ".jsonl").toString());
            assertEquals(ExitCode.SOME_FAILED, r.code(), r.err());
            assertEquals(1, r.errLines().stream().filter(l -> l.contains("broken.png")).count(), r.err());
            assertTrue(r.err().contains("img5.png exists, skipped"), r.err());
            assertArrayEquals(new byte[] {42}, Files.readAllBytes(out.resolve("img5.png")));
            Map<String, String> status = new TreeMap<>();
            for (String line : Files.readAllLines(dir.resolve("records" + jobs + ".jsonl"))) {
                JsonNode n = new ObjectMapper().readTree(line);
                status.put(Path.of(n.get("input").asText()).getFileName().toString(), n.get("status").asText());
            }
            records.put(jobs, status);
        }
        assertEquals(7, records.get("1").size(), records.toString());
        assertEquals(records.get("1"), records.get("2"));
        assertEquals("error", records.get("2").get("broken.png"));
        assertEquals("skipped", records.get("2").get("img5.png"));
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("out1/img" + i + ".png")),
                    Files.readAllBytes(dir.resolve("out2/img" + i + ".png")), "img" + i);
        }
    }

    @Test
    void jobsOutsideTheCoresAreAUsageError() {
        Path rgb = TestImages.write(dir.resolve("rgb.png"), 16, 16, 3, false);
        int cores = Runtime.getRuntime().availableProcessors();
        for (String bad : new String[] {"-1", Integer.toString(cores + 1)}) {
            CliTest.Run r = CliTest.run("upscale", rgb.toString(), "--out", dir.resolve("o").toString(), "--jobs", bad);
            assertEquals(ExitCode.USAGE, r.code(), r.err());
            assertTrue(r.err().contains("--jobs must be 0 (automatic) to " + cores), r.err());
        }
        assumeTrue(cores >= 2, "needs 2 cores");
        CliTest.Run r = CliTest.run("upscale", rgb.toString(), "--out", dir.resolve("o").toString(), "--jobs",
                Integer.toString(cores), "--threads", "2");
        assertEquals(ExitCode.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("more compute threads than this machine's"), r.err());
    }

    @Test
    void theBatchRunsJobsAtOnceCountsEachOutcomeAndRethrowsAnError() {
        List<Path> inputs = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            inputs.add(Path.of("in" + i + ".png"));
        }
        AtomicInteger running = new AtomicInteger(), most = new AtomicInteger();
        java.io.StringWriter err = new java.io.StringWriter();
        Batch batch = new Batch("test", true, false, new java.io.PrintWriter(err));
        List<String> heard = java.util.Collections.synchronizedList(new ArrayList<>());
        batch.onResult((input, status, error, ms) -> heard.add(input + " " + status));
        int code = batch.run(inputs, 3, input -> {
            int now = running.incrementAndGet();
            most.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(20);
            } finally {
                running.decrementAndGet();
            }
            int i = Integer.parseInt(input.toString().replaceAll("\\D", ""));
            if (i % 5 == 0) {
                throw new io.shiftsr.image.ImageException(input + ": bad");
            }
            return i % 7 == 0 ? Batch.Outcome.SKIPPED : Batch.Outcome.DONE;
        });
        assertEquals(ExitCode.SOME_FAILED, code);
        assertEquals(5, batch.failed); // 0, 5, 10, 15, 20
        assertEquals(3, batch.skipped); // 7, 14, 21
        assertEquals(16, batch.done);
        assertEquals(24, heard.size());
        assertEquals(5, err.toString().lines().count(), err.toString());
        assertTrue(most.get() >= 2 && most.get() <= 3, "at most 3 at once, and more than 1: " + most.get());

        Batch fatal = new Batch("test", true, false, new java.io.PrintWriter(new java.io.StringWriter()));
        AtomicInteger started = new AtomicInteger();
        // Each other input takes 20 ms, as an image would: with instant jobs the second worker could take every
        // remaining input while the first was preempted between starting its third and throwing (a CI failure).
        assertThrows(OutOfMemoryError.class, () -> fatal.run(inputs, 2, input -> {
            if (started.incrementAndGet() == 3) {
                throw new OutOfMemoryError("test");
            }
            Thread.sleep(20);
            return Batch.Outcome.DONE;
        }));
        assertTrue(started.get() < inputs.size(), "the run stops taking inputs after an Error: " + started.get());
    }
}
