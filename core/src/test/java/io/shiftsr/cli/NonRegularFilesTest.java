package io.shiftsr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shiftsr.image.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 31: a FIFO given where a model file is required made info and upscale wait forever for a writer, and
 * --files-from /dev/zero read without end. Each is a one-line error, exit 3, at once.
 */
class NonRegularFilesTest {
    private static final Duration PROMPTLY = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private Path fifo() throws Exception {
        Path f = dir.resolve("fifo");
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", f.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            Assumptions.abort("no mkfifo here: " + e.getMessage());
            return null;
        }
        Assumptions.assumeTrue(p.waitFor() == 0 && Files.exists(f), "mkfifo failed");
        return f;
    }

    private static void assertRefused(CliTest.Run r, String... expected) {
        assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        for (String e : expected) {
            assertTrue(r.err().contains(e), r.err());
        }
    }

    @Test
    void aFifoIsNoModelFile() throws Exception {
        Path fifo = fifo();
        Path in = TestImages.write(dir.resolve("in.png"), 8, 8, 3, false);
        assertRefused(assertTimeoutPreemptively(PROMPTLY, () -> CliTest.run("info", fifo.toString())),
                fifo + ": not a regular file");
        assertRefused(assertTimeoutPreemptively(PROMPTLY, () -> CliTest.run("upscale", in.toString(), "--model",
                fifo.toString(), "--out", dir.resolve("o").toString(), "-q")), fifo + ": not a regular file");
        assertRefused(CliTest.run("info", dir.toString()), dir + ": is a folder");
    }

    /** eval --against a FIFO: refused at once, not a run blocked until something writes to it. */
    @Test
    void aFifoIsNoEarlierReport() throws Exception {
        Path fifo = fifo();
        Path hr = Files.createDirectories(dir.resolve("hr"));
        TestImages.write(hr.resolve("a.png"), 16, 16, 3, false);
        assertRefused(assertTimeoutPreemptively(PROMPTLY, () -> CliTest.run("eval", "--hr", hr.toString(),
                "--scale", "2", "--against", fifo.toString(), "--out", dir.resolve("r").toString(), "-q")),
                "--against " + fifo + ": cannot read the report (not a regular file)");
    }

    @Test
    void filesFromIsBounded() throws Exception {
        Path out = dir.resolve("o");
        Path zero = Path.of("/dev/zero");
        if (Files.exists(zero)) {
            assertRefused(assertTimeoutPreemptively(PROMPTLY, () -> CliTest.run("upscale", "--files-from",
                    zero.toString(), "--method", "bicubic", "--out", out.toString(), "-q")), "/dev/zero", "NUL");
        }
        Path good = TestImages.write(dir.resolve("good.png"), 8, 8, 3, false);
        // A good line, then a long line of zero bytes.
        Path zeros = dir.resolve("zeros.txt");
        byte[] nul = new byte[1 << 20];
        Files.write(zeros, (good + "\n").getBytes(StandardCharsets.UTF_8));
        Files.write(zeros, nul, java.nio.file.StandardOpenOption.APPEND);
        assertRefused(CliTest.run("upscale", "--files-from", zeros.toString(), "--method", "bicubic", "--out",
                out.toString(), "-q"), zeros + ": line 2", "NUL");
        Path longLine = Files.writeString(dir.resolve("long.txt"), good + "\n" + "a".repeat(70_000) + "\n");
        assertRefused(CliTest.run("upscale", "--files-from", longLine.toString(), "--method", "bicubic", "--out",
                out.toString(), "-q"), longLine + ": line 2 is longer than");
        Path many = Files.writeString(dir.resolve("many.txt"), "#\n".repeat(1_000_001));
        assertRefused(CliTest.run("upscale", "--files-from", many.toString(), "--method", "bicubic", "--out",
                out.toString(), "-q"), many + ": more than 1,000,000 lines");
        assertTrue(!Files.exists(out) || List.of().equals(List.of(out.toFile().list())), "nothing written");
        // Exactly the limit, and a line of the longest length, are still a list.
        Path most = Files.writeString(dir.resolve("most.txt"), good + "\n" + "#\n".repeat(999_998)
                + "#" + "a".repeat(65_535));
        CliTest.Run r = CliTest.run("upscale", "--files-from", most.toString(), "--method", "bicubic", "--out",
                out.toString(), "-q");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(out.resolve("good.png")));
    }
}
