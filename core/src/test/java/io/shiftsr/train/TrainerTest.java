package io.shiftsr.train;

import static org.junit.jupiter.api.Assertions.*;

import io.shiftsr.image.Degradation;
import io.shiftsr.image.Image;
import io.shiftsr.image.ImageReading;
import io.shiftsr.image.ImageWriting;
import io.shiftsr.weights.SafetensorsReader;
import io.shiftsr.weights.TensorData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training pipeline on a tiny model and one small image: seconds, not hours. */
class TrainerTest {
    @TempDir
    Path dir;
    Path train;
    Path val;

    @BeforeEach
    void oneImage() throws IOException {
        // A 96x96 crop with texture (the astronaut's suit and flag: crop(160, 200, 96, 96) of the shared val-x4
        // skimage-astronaut.png, public domain, NASA) is the whole training and validation set. Bundled, so a
        // clean clone runs these tests without ../shared.
        Image hr = ImageReading.read(FIXTURE);
        train = Files.createDirectories(dir.resolve("train"));
        val = dir.resolve("val");
        Files.createDirectories(val.resolve("hr"));
        Files.createDirectories(val.resolve("lr"));
        ImageWriting.write(hr, train.resolve("one.png"));
        ImageWriting.write(hr, val.resolve("hr/one.png"));
        ImageWriting.write(Degradation.degrade(hr, 4), val.resolve("lr/one.png"));
    }

    static final Path FIXTURE = Path.of("core/src/test/resources/io/shiftsr/train/astronaut-crop96.png");

    TrainConfig config(String runDir, long totalSteps, String... extra) {
        List<String> o = new ArrayList<>(List.of(
                "data.train=\"" + train + "\"", "data.val=\"" + val + "\"", "data.shrinkFirst=1", "data.crop=64",
                "data.batch=4", "data.scaleMin=4", "data.scaleMax=4", "run.dir=\"" + dir.resolve(runDir) + "\"",
                "optim.totalSteps=" + totalSteps, "optim.warmupSteps=10", "optim.emaDecay=0.5", "optim.threads=2",
                "diffusion.noisyFraction=0", "loss.dct=0", "loss.warmupSteps=0", "run.validateEvery=0",
                "run.checkpointEvery=1000", "run.logEvery=10"));
        o.addAll(List.of(extra));
        return TrainConfig.load(Path.of("configs/tiny.yaml"), o);
    }

    static final Trainer.Listener QUIET = new Trainer.Listener() {
        @Override
        public void message(String line) {}

        @Override
        public void progress(long step, long total, double loss, double lr, double samplesPerS) {}
    };

    @Test
    void tinyModelOverfitsOneImageAndBeatsBicubic() throws Exception {
        TrainConfig cfg = config("overfit", 300, "optim.lr=3e-3", "run.validateEvery=300", "run.valSteps=1",
                "optim.minLr=1e-3");
        long t0 = System.nanoTime();
        Trainer.Outcome o = new Trainer(cfg, QUIET).run(false);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Validator.Result v = o.lastValidation();
        assertNotNull(v);
        System.out.printf("overfit: %.1f s, psnr_y %.3f vs bicubic %.3f%n", seconds, v.psnrY(), v.bicubicPsnrY());
        assertTrue(v.psnrY() > v.bicubicPsnrY() + 0.3, v.psnrY() + " vs bicubic " + v.bicubicPsnrY());
        Path runDir = dir.resolve("overfit");
        assertTrue(Files.size(runDir.resolve("log.csv")) > 0);
        assertTrue(Files.exists(runDir.resolve("training.png")));
        assertTrue(Files.exists(runDir.resolve("validation.png")));
        assertEquals(Double.toString(v.psnrY()).substring(0, 5), io.shiftsr.sr.ModelFiles
                .metadata(runDir.resolve(Trainer.BEST_MODEL)).get("val_psnr_y").substring(0, 5));
        assertEquals(300, o.lastStep());
    }

    @Test
    void resumingIsExact() throws Exception {
        assertResumeIsExact("");
    }

    @Test
    void resumingIsExactWithTheSamplingObjective() throws Exception {
        // t = T half the time, t < T states from the net's own estimate, a noisy share: every draw and noise is
        // a function of the step, so a resumed run repeats them.
        assertResumeIsExact("obj-", "diffusion.shareAtT=0.5", "diffusion.selfEstimate=1.0",
                "diffusion.noisyFraction=0.3", "diffusion.priorAtT=true", "diffusion.steps=4");
    }

    @Test
    void resumingIsExactWithTheRealPhotoDegradation() throws Exception {
        // Degraded crops are made on a pool of threads (blur in libtorch, JPEG through ImageIO), each from a
        // generator split off in sample order: the batches are still a function of the step.
        assertResumeIsExact("rw-", "degradation.probability=0.8", "model.degradationEmbed=true",
                "degradation.first.kernelSize=[7, 13]", "degradation.second.kernelSize=[7, 9]");
    }

    @Test
    void theDegradationSectionTakesThePapersValuesForWhatItLeavesOut() throws IOException {
        TrainConfig none = TrainConfig.load(Path.of("configs/tiny.yaml"), List.of());
        assertEquals(0.0, none.degradation().probability(), "no section: no degradation, as before it existed");
        assertFalse(none.model().degradationEmbed());
        String yaml = Files.readString(Path.of("configs/tiny.yaml")) + "degradation:\n  probability: 0.5\n"
                + "  second:\n    jpegQuality: [60, 90]\n";
        TrainConfig some = TrainConfig.load(Files.writeString(dir.resolve("rw.yaml"), yaml), List.of());
        io.shiftsr.data.RealDegradation.Settings paper = io.shiftsr.data.RealDegradation.Settings.paper();
        assertEquals(0.5, some.degradation().probability());
        assertArrayEquals(new double[] {60, 90}, some.degradation().second().jpegQuality());
        assertArrayEquals(paper.first().blurSigma(), some.degradation().first().blurSigma());
        assertEquals(paper.second().blurProb(), some.degradation().second().blurProb());
        assertEquals(paper.finalSincProb(), some.degradation().finalSincProb());
        var typo = assertThrows(TrainConfig.ConfigException.class, () -> TrainConfig.load(Files.writeString(
                dir.resolve("typo.yaml"), yaml.replace("jpegQuality", "jpegQualty")), List.of()));
        assertTrue(typo.getMessage().contains("'degradation.second.jpegQualty'"), typo.getMessage());
        var bad = assertThrows(TrainConfig.ConfigException.class, () -> TrainConfig.load(Path.of("configs/tiny.yaml"),
                List.of("degradation.first.noiseProb=2")));
        assertTrue(bad.getMessage().contains("[0, 1]"), bad.getMessage());
        // The shipped real-photo recipe loads, with the embedding on.
        TrainConfig rw = TrainConfig.load(Path.of("configs/realworld.yaml"), List.of());
        assertTrue(rw.model().degradationEmbed());
        assertTrue(rw.degradation().probability() > 0);
    }

    @Test
    void mixedPrecisionLearnsAndResumesExactly() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.shiftsr.engine.Precision.hasBf16Hardware(),
                "no native bfloat16 on this CPU");
        assertResumeIsExact("bf16-", "run.precision=bf16", "diffusion.shareAtT=0.5", "diffusion.steps=4");
        TrainConfig cfg = config("bf16-overfit", 300, "optim.lr=3e-3", "run.validateEvery=300", "run.valSteps=1",
                "optim.minLr=1e-3", "run.precision=bf16");
        Validator.Result v = new Trainer(cfg, QUIET).run(false).lastValidation();
        System.out.printf("overfit in bf16: psnr_y %.3f vs bicubic %.3f%n", v.psnrY(), v.bicubicPsnrY());
        assertTrue(v.psnrY() > v.bicubicPsnrY() + 0.3, v.psnrY() + " vs bicubic " + v.bicubicPsnrY());
    }

    private void assertResumeIsExact(String prefix, String... extra) throws Exception {
        Trainer.Outcome straight = new Trainer(config(prefix + "straight", 40, extra), QUIET).run(false);
        // The LR schedule depends on totalSteps, so the split run keeps totalSteps=40 and stops at 20 instead.
        Trainer first = new Trainer(config(prefix + "split", 40, extra), QUIET);
        first.stopAfter(20);
        Trainer.Outcome half = first.run(false);
        assertEquals(20, half.lastStep());
        Trainer.Outcome rest = new Trainer(config(prefix + "split", 40, extra), QUIET).run(true);
        assertEquals(20, rest.firstStep());
        assertEquals(40, rest.lastStep());
        Map<String, TensorData> a = SafetensorsReader.read(straight.checkpoint()).tensorsByName();
        Map<String, TensorData> b = SafetensorsReader.read(rest.checkpoint()).tensorsByName();
        assertEquals(a.keySet(), b.keySet());
        double maxDiff = 0;
        for (String k : a.keySet()) {
            float[] x = a.get(k).values(), y = b.get(k).values();
            for (int i = 0; i < x.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(x[i] - y[i]));
            }
        }
        System.out.println("2N straight vs N + resume + N: max weight difference " + maxDiff);
        assertTrue(maxDiff <= 1e-6, "max diff " + maxDiff);
    }

    @Test
    void aCorruptNewestCheckpointFallsBackToThePreviousOne() throws Exception {
        TrainConfig cfg = config("crash", 40, "run.checkpointEvery=10", "run.keep=5");
        Trainer first = new Trainer(cfg, QUIET);
        first.stopAfter(20);
        first.run(false);
        Path ckpts = dir.resolve("crash/checkpoints");
        // What a kill in the middle of writing step 30 could leave: a half-written file under the final name
        // (if the file system lost the rename's atomicity) and a stray temp file.
        byte[] good = Files.readAllBytes(ckpts.resolve("step-00000020.safetensors"));
        Files.write(ckpts.resolve("step-00000030.safetensors"), java.util.Arrays.copyOf(good, good.length / 2));
        Files.write(ckpts.resolve(".step-00000030.safetensors.1234.tmp"), new byte[100]);
        List<String> messages = new ArrayList<>();
        Trainer.Outcome o = new Trainer(cfg, new Trainer.Listener() {
            @Override
            public void message(String line) {
                messages.add(line);
            }

            @Override
            public void progress(long step, long total, double loss, double lr, double samplesPerS) {}
        }).run(true);
        assertEquals(20, o.firstStep());
        assertEquals(40, o.lastStep());
        assertTrue(messages.stream().anyMatch(m -> m.contains("step-00000030") && m.contains("unusable")), messages.toString());
    }

    @Test
    void unusableHigherNumberedFilesNeverPushTheNewCheckpointsOut() throws Exception {
        // Issue 31.1: two unreadable files named for later steps used to be "the newest 3" by name, so every
        // checkpoint the resumed run wrote was pruned at once and the reported file did not exist.
        TrainConfig cfg = config("prune", 30, "run.checkpointEvery=10", "run.keep=2");
        Path ckpts = Files.createDirectories(dir.resolve("prune/checkpoints"));
        Files.write(ckpts.resolve("step-00000100.safetensors"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        Files.write(ckpts.resolve("step-00000200.safetensors"), new byte[4096]);
        Trainer.Outcome o = new Trainer(cfg, QUIET).run(true);
        assertEquals(30, o.lastStep());
        assertTrue(Files.isRegularFile(o.checkpoint()), "reported checkpoint " + o.checkpoint() + " must exist");
        assertEquals(List.of("step-00000030.safetensors", "step-00000020.safetensors"),
                new Checkpoints(dir.resolve("prune"), 2).list().stream().map(p -> p.getFileName().toString()).toList());
        // Nothing the user had is deleted: the unreadable files are moved aside, byte for byte.
        assertEquals(9, Files.size(ckpts.resolve("step-00000100.safetensors.unusable")));
        assertEquals(4096, Files.size(ckpts.resolve("step-00000200.safetensors.unusable")));
        // A second resume continues from step 30 instead of starting from scratch again.
        Trainer.Outcome again = new Trainer(config("prune", 40, "run.checkpointEvery=10", "run.keep=2"), QUIET).run(true);
        assertEquals(30, again.firstStep());
    }

    @Test
    void aConfigTypoIsRejectedWithTheKeyNamed() throws IOException {
        String yaml = Files.readString(Path.of("configs/tiny.yaml")).replace("  batch: 2", "  bacth: 2");
        Path bad = Files.writeString(dir.resolve("bad.yaml"), yaml);
        var e = assertThrows(TrainConfig.ConfigException.class, () -> TrainConfig.load(bad, List.of()));
        assertTrue(e.getMessage().contains("'data.bacth'"), e.getMessage());
        var o = assertThrows(TrainConfig.ConfigException.class,
                () -> TrainConfig.load(Path.of("configs/tiny.yaml"), List.of("optim.lrr=1")));
        assertTrue(o.getMessage().contains("'optim.lrr'"), o.getMessage());
    }

    @Test
    void aCheckpointFromBeforeLaterKeysStillReadsAsTheRunItWas() {
        // The committed stage-1 resume state predates data.scaleChoices, data.cropCandidates, model.scaleEmbed and
        // diffusion.priorAtT.
        var st = Checkpoints.load(Path.of("models/resume/x4-step-00003886.safetensors"));
        assertFalse(st.configYaml().contains("scaleChoices"), "pick a checkpoint that lacks the newer keys");
        TrainConfig c = TrainConfig.fromYaml(st.configYaml(), "checkpoint config");
        assertEquals(0, c.data().scaleChoices().length);
        assertEquals(1, c.data().cropCandidates(), "uniform crops, as that run drew them");
        assertFalse(c.model().scaleEmbed());
        assertFalse(c.diffusion().priorAtT());
        assertEquals(0.0, c.diffusion().shareAtT(), "t uniform over 1..T, as that run drew it");
        assertEquals(0.0, c.diffusion().selfEstimate());
        assertEquals(4.0, c.data().scaleMin());
        assertEquals(3886, st.step());
    }

    @Test
    void bundledConfigsLoad() {
        assertEquals(192, TrainConfig.load(Path.of("configs/x4.yaml"), List.of()).data().crop());
        assertEquals(64, TrainConfig.load(Path.of("configs/tiny.yaml"), List.of()).data().crop());
    }
}
