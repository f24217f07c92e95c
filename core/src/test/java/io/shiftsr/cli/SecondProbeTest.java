package io.shiftsr.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.shiftsr.image.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reproductions of the second outside probe (issue 31, items 14 and 15) that the other suites do not cover: each
 * gives one line with the right exit code and changes no user file. Each fails on the code before its fix.
 */
class SecondProbeTest {
    @TempDir
    Path dir;

    @Test
    void aNewlineInAFileNameStaysOnOneLine() throws Exception {
        Path bad = Files.writeString(dir.resolve("evil\nname\u001b[31m.png"), "not an image");
        CliTest.Run r = CliTest.run("upscale", bad.toString(), "--out", dir.resolve("o").toString(), "--method",
                "bicubic", "-q");
        assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("evil\\nname\\x1b[31m.png"), r.err());
        assertFalse(r.err().contains("\u001b"), "no escape sequence reaches the terminal");
    }

    @Test
    void aFailedTrainStartDoesNotBlockTheCorrectedRerun() throws Exception {
        Path run = dir.resolve("run");
        List<String> common = List.of("train", "--config", "configs/tiny.yaml", "--run-dir", run.toString(),
                "--set", "data.shrinkFirst=1", "--set", "data.batch=2", "--set", "optim.totalSteps=2",
                "--set", "run.validateEvery=0", "--set", "optim.warmupSteps=1", "-q");
        List<String> bad = new java.util.ArrayList<>(common);
        bad.addAll(List.of("--set", "data.train=\"" + dir.resolve("missing") + "\""));
        CliTest.Run first = CliTest.run(bad.toArray(String[]::new));
        assertEquals(ExitCode.BAD_INPUT, first.code(), first.err());
        assertFalse(Files.exists(run.resolve("log.csv")), "a failed start leaves no log");
        // What older versions left after such a start: the log's header alone. It must not block the rerun either.
        Files.writeString(run.resolve("log.csv"), io.shiftsr.train.TrainingLog.HEADER + "\n");
        Path train = Files.createDirectories(dir.resolve("train"));
        Files.copy(Path.of("core/src/test/resources/io/shiftsr/train/astronaut-crop96.png"), train.resolve("a.png"));
        List<String> good = new java.util.ArrayList<>(common);
        good.addAll(List.of("--set", "data.train=\"" + train + "\""));
        CliTest.Run second = CliTest.run(good.toArray(String[]::new));
        assertEquals(ExitCode.OK, second.code(), second.err());
        assertFalse(second.err().contains("already holds a run"), second.err());
        // A run that did train is still protected.
        CliTest.Run third = CliTest.run(good.toArray(String[]::new));
        assertEquals(ExitCode.BAD_INPUT, third.code(), third.err());
        assertTrue(third.err().contains("already holds a run"), third.err());
    }

    @Test
    void stopAtStepEndsThePartAndResumeFinishesTheSchedule() throws Exception {
        Path run = dir.resolve("run");
        Path train = Files.createDirectories(dir.resolve("train"));
        Files.copy(Path.of("core/src/test/resources/io/shiftsr/train/astronaut-crop96.png"), train.resolve("a.png"));
        List<String> common = List.of("train", "--config", "configs/tiny.yaml", "--run-dir", run.toString(),
                "--set", "data.shrinkFirst=1", "--set", "data.batch=2", "--set", "optim.totalSteps=4",
                "--set", "run.validateEvery=0", "--set", "optim.warmupSteps=1", "--set", "data.train=\"" + train + "\"", "-q");
        List<String> part = new java.util.ArrayList<>(common);
        part.addAll(List.of("--stop-at-step", "2"));
        CliTest.Run first = CliTest.run(part.toArray(String[]::new));
        assertEquals(ExitCode.OK, first.code(), first.err());
        assertTrue(first.out().contains("trained steps 0..2;"), first.out());
        assertTrue(Files.exists(run.resolve("checkpoints/step-00000002.safetensors")), "a checkpoint at the stop");
        List<String> rest = new java.util.ArrayList<>(common);
        rest.add("--resume");
        CliTest.Run second = CliTest.run(rest.toArray(String[]::new));
        assertEquals(ExitCode.OK, second.code(), second.err());
        assertTrue(second.out().contains("trained steps 2..4;"), second.out());

        CliTest.Run zero = CliTest.run("train", "--config", "configs/tiny.yaml", "--stop-at-step", "0");
        assertEquals(ExitCode.USAGE, zero.code(), zero.err());
        assertTrue(zero.err().contains("--stop-at-step must be >= 1"), zero.err());
    }

    @Test
    void configErrorsNameTheSectionAndTheLine() throws Exception {
        String tiny = Files.readString(Path.of("configs/tiny.yaml"));
        Path noRun = Files.writeString(dir.resolve("norun.yaml"), tiny.substring(0, tiny.indexOf("\nrun:") + 1));
        CliTest.Run r = CliTest.run("train", "--config", noRun.toString(), "--run-dir", dir.resolve("r").toString());
        assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("the 'run' section is missing"), r.err());
        assertFalse(r.err().contains("run.dir"), r.err());

        Path broken = Files.writeString(dir.resolve("broken.yaml"), "data:\n  crop: [1, 2\nmodel: {\n");
        CliTest.Run parse = CliTest.run("train", "--config", broken.toString());
        assertEquals(ExitCode.BAD_INPUT, parse.code(), parse.err());
        assertTrue(parse.err().matches("(?s).*line \\d+, column \\d+.*"), parse.err());
        assertEquals(1, parse.errLines().size(), parse.err());

        Path typo = Files.writeString(dir.resolve("typo.yaml"), tiny.replace("  lr:", "  lrr:"));
        CliTest.Run key = CliTest.run("train", "--config", typo.toString());
        assertEquals(ExitCode.BAD_INPUT, key.code(), key.err());
        int line = 1 + (int) tiny.substring(0, tiny.indexOf("  lr:")).chars().filter(c -> c == '\n').count();
        assertTrue(key.err().contains("line " + line + ", column") && key.err().contains("optim.lrr"), key.err());

        // YAML aliases: one line, whatever the parser makes of them, never a misleading key.
        Path laughs = Files.writeString(dir.resolve("laughs.yaml"), "a: &a [x, x, x, x, x, x, x, x, x]\n"
                + "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                + "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n");
        CliTest.Run bomb = CliTest.run("train", "--config", laughs.toString(), "--run-dir", dir.resolve("r").toString());
        assertEquals(ExitCode.BAD_INPUT, bomb.code(), bomb.err());
        assertEquals(1, bomb.errLines().size(), bomb.err());
        assertFalse(bomb.err().contains("run.dir"), bomb.err());

        CliTest.Run minutes = CliTest.run("train", "--config", "configs/tiny.yaml", "--max-minutes", "-1");
        assertEquals(ExitCode.USAGE, minutes.code(), minutes.err());
        assertTrue(minutes.err().contains("--max-minutes must be >= 0") && minutes.err().contains("got -1 "),
                minutes.err());
    }

    @Test
    void evalSkipsAnLrOfTheWrongSizeAndScoresTheRest() throws Exception {
        Path hr = Files.createDirectories(dir.resolve("set/hr"));
        Path lr = Files.createDirectories(dir.resolve("set/lr"));
        TestImages.write(hr.resolve("a.png"), 64, 64, 3, false);
        TestImages.write(lr.resolve("a.png"), 16, 16, 3, false);
        TestImages.write(hr.resolve("b.png"), 64, 64, 3, false);
        TestImages.write(lr.resolve("b.png"), 20, 16, 3, false); // not 64 / 4
        CliTest.Run r = CliTest.run("eval", "--hr", hr.toString(), "--lr", lr.toString(), "--scale", "4", "--steps",
                "1", "--crop", "0", "--out", dir.resolve("report").toString(), "-q");
        assertEquals(ExitCode.SOME_FAILED, r.code(), r.err());
        assertTrue(r.err().contains("b.png: 20x16 is not the LR of b.png (64x64) at x4, skipped"), r.err());
        assertTrue(Files.readString(dir.resolve("report/report.md")).contains("| a |"), "a is scored");
    }

    @Test
    void aListThatIsNotUtf8NamesItsLine() throws Exception {
        Path list = Files.write(dir.resolve("list.txt"), new byte[] {'a', '.', 'p', 'n', 'g', '\n', 'b', (byte) 0xff, '\n'});
        CliTest.Run r = CliTest.run("upscale", "--files-from", list.toString(), "--out", dir.resolve("o").toString(),
                "--method", "bicubic", "-q");
        assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
        assertEquals(List.of("shiftsr: --files-from " + list + ": line 2 is not UTF-8 text (a list of paths must be"
                + " UTF-8)"), r.errLines());
    }

    @Test
    void oneMissingFileSpelledTwoWaysIsOneError() throws Exception {
        Path a = TestImages.write(dir.resolve("a.png"), 20, 16, 3, false);
        Path gone = dir.resolve("gone.png");
        CliTest.Run r = CliTest.run("upscale", a.toString(), gone.toString(), dir.resolve("./gone.png").toString(),
                "--out", dir.resolve("o").toString(), "--method", "bicubic", "-q");
        assertEquals(ExitCode.SOME_FAILED, r.code(), r.err());
        assertEquals(1, r.errLines().stream().filter(l -> l.contains("no such file")).count(), r.err());
    }
}
