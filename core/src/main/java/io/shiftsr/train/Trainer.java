package io.shiftsr.train;

import java.util.Locale;
import io.shiftsr.engine.Engine;
import io.shiftsr.engine.Tensor;
import io.shiftsr.image.Image;
import io.shiftsr.image.ImageWriting;
import io.shiftsr.image.SideBySide;
import io.shiftsr.model.SrNetwork;
import io.shiftsr.sr.ShiftSrModel;
import io.shiftsr.weights.DType;
import io.shiftsr.sr.ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The training loop: batches from {@link BatchLoader}, {@link TrainStep}, EMA, a log row every
 * logEvery steps, validation and a plot every validateEvery steps, a checkpoint every checkpointEvery
 * steps, at the time limit and on SIGINT/SIGTERM. Knows nothing of the command line.
 */
public final class Trainer {
    /** What the trainer tells its caller (the CLI draws the progress bar from it). */
    public interface Listener {
        void message(String line);

        void progress(long step, long total, double loss, double lr, double samplesPerS);
    }

    /** The model file with the EMA weights of the best validation so far, in the run dir. */
    public static final String BEST_MODEL = "best.safetensors";

    private final TrainConfig cfg;
    private final Path runDir;
    private final Listener out;
    private volatile boolean stopRequested;

    public Trainer(TrainConfig cfg, Listener out) {
        this.cfg = cfg;
        this.runDir = Path.of(cfg.run().dir());
        this.out = out;
    }

    private long stopAfter = Long.MAX_VALUE;

    /** Stops (with a checkpoint) once this many steps are done, whatever totalSteps says. */
    public void stopAfter(long step) {
        this.stopAfter = step;
    }

    /** Asks the loop to stop after the current step (it then writes a checkpoint). */
    public void requestStop() {
        stopRequested = true;
    }

    /** Summary of a finished run. */
    public record Outcome(long firstStep, long lastStep, Path checkpoint, Validator.Result lastValidation) {}

    public Outcome run(boolean resume) throws Exception {
        return run(resume, null);
    }

    /**
     * @param resume   continue from the newest valid checkpoint in the run dir
     * @param initFrom when not resuming, start from this model file's weights (fine-tuning); parameters the file
     *                 lacks keep their initialisation, which is how a scale embedding is added to a trained net
     */
    public Outcome run(boolean resume, Path initFrom) throws Exception {
        Engine.init(cfg.optim().threads());
        Files.createDirectories(runDir);
        long seed = cfg.optim().seed();
        ShiftSrModel model = modelOf(cfg, seed);
        ShiftSrModel evalModel = modelOf(cfg, seed);
        SrNetwork net = model.net();
        SrNetwork evalNet = evalModel.net();
        Map<String, Tensor> params = net.namedParameters();
        TrainStep.prepare(net, cfg); // before the optimizer and EMA copy the parameters: same layout
        TrainStep.prepare(evalNet, cfg);
        AdamW adam = new AdamW(params, cfg.optim().beta1(), cfg.optim().beta2(), cfg.optim().weightDecay());
        Checkpoints checkpoints = new Checkpoints(runDir, cfg.run().keep());
        if (!resume && (!checkpoints.list().isEmpty() || holdsLogRows(runDir))) {
            // Starting over in a used run dir would mix two runs (log rows, best model, old checkpoints that a
            // later --resume would continue): refuse it.
            throw new TrainConfig.ConfigException(runDir + " already holds a run: add --resume to continue it, or"
                    + " choose another run dir (or delete this one to start over)");
        }
        if (initFrom != null && !(resume && !checkpoints.list().isEmpty())) {
            out.message(initialise(params, initFrom));
        }
        Ema ema = new Ema(params, cfg.optim().emaDecay());

        long step = 0;
        if (resume) {
            Checkpoints.State st = checkpoints.loadNewestValid(out::message);
            if (st == null) {
                out.message("no checkpoint in " + checkpoints.dir() + ": starting from scratch");
            } else {
                TrainConfig saved = TrainConfig.fromYaml(st.configYaml(), "checkpoint config");
                if (!saved.model().equals(cfg.model()) || !saved.diffusion().equals(cfg.diffusion())) {
                    throw new TrainConfig.ConfigException("the checkpoint was trained with another model or diffusion"
                            + " config; resume with the config it stores or start a new run dir");
                }
                net.loadStateDict(st.model());
                ema.loadStateDict(st.ema());
                adam.loadStateDict(st.optimizer(), st.adamSteps());
                step = st.step();
                out.message("resumed from step " + step);
            }
        }
        long firstStep = step;

        Validator validator = null;
        if (cfg.run().validateEvery() > 0 && Files.isDirectory(Path.of(cfg.data().val()))) {
            validator = new Validator(Path.of(cfg.data().val()), cfg.data().valImages());
        } else if (cfg.run().validateEvery() > 0) {
            out.message("validation folder " + cfg.data().val() + " not found: validation off");
        }
        PhotoLibrary photos = new PhotoLibrary(Path.of(cfg.data().train()), cfg.data().shrinkFirst(),
                (long) cfg.data().cacheMegabytes() << 20, msg -> out.message("warning: " + msg));
        photos.requireUsable(cfg.data().crop());
        // Opened once the inputs are known usable, so a start that fails on them leaves no log behind.
        TrainingLog log = TrainingLog.open(runDir);
        log.truncateAfter(step);
        out.message(String.format(Locale.ROOT, "model: %s, %,d parameters, %,d MACs per latent pixel; %d training photos",
                cfg.model(), net.parameterCount(), net.macsPerLatentPixel(), photos.size()));
        BatchMaker maker = new BatchMaker(photos, cfg.data(), seed, cfg.degradation());
        TrainStep trainStep = new TrainStep(model, cfg, adam);

        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            requestStop();
            try {
                finished.await(120, TimeUnit.SECONDS); // let the loop write its checkpoint
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "shiftsr-train-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        io.shiftsr.io.AtomicFiles.finishBeforeExitSweep(finished); // the last checkpoint is written before the sweep

        long deadline = cfg.run().maxMinutes() > 0
                ? System.nanoTime() + (long) (cfg.run().maxMinutes() * 60e9) : Long.MAX_VALUE;
        long total = cfg.optim().totalSteps();
        long start = System.nanoTime();
        Path lastCheckpoint = null;
        Validator.Result lastVal = null;
        double lossSum = 0;
        int lossCount = 0;
        long windowStart = System.nanoTime();
        long windowSamples = 0;
        try (BatchLoader loader = new BatchLoader(maker, step)) {
            loader.takeWaitedNanos();
            while (step < total && step < stopAfter && !stopRequested && System.nanoTime() < deadline) {
                TrainingBatch batch = loader.next();
                TrainStep.Result r = trainStep.run(batch);
                if (!Double.isFinite(r.loss())) {
                    throw new IllegalStateException("loss is " + r.loss() + " at step " + step
                            + ": lower optim.lr or raise optim.gradClip; the last checkpoint is intact");
                }
                ema.update(params, step);
                step++;
                lossSum += r.loss();
                lossCount++;
                windowSamples += batch.size();
                double elapsedWindow = (System.nanoTime() - windowStart) / 1e9;
                double samplesPerS = windowSamples / Math.max(1e-9, elapsedWindow);
                out.progress(step, total, r.loss(), r.lr(), samplesPerS);
                if (step % cfg.run().logEvery() == 0) {
                    double waitFrac = loader.takeWaitedNanos() / 1e9 / Math.max(1e-9, elapsedWindow);
                    log.logStep(step, (System.nanoTime() - start) / 1e9, lossSum / lossCount, r.lr(), samplesPerS, waitFrac);
                    lossSum = 0;
                    lossCount = 0;
                    windowStart = System.nanoTime();
                    windowSamples = 0;
                }
                if (validator != null && step % cfg.run().validateEvery() == 0) {
                    lastVal = validate(validator, ema, evalNet, evalModel, step, log, start);
                }
                if (step % cfg.run().checkpointEvery() == 0) {
                    lastCheckpoint = checkpoints.save(step, adam.stepCount(), cfg.toYaml(),
                            Checkpoints.stateOf(params, ema, adam));
                }
            }
            if (lastCheckpoint == null || !lastCheckpoint.getFileName().toString().contains(String.format(Locale.ROOT, "%08d", step))) {
                if (step > firstStep) {
                    lastCheckpoint = checkpoints.save(step, adam.stepCount(), cfg.toYaml(),
                            Checkpoints.stateOf(params, ema, adam));
                }
            }
            if (validator != null && lastVal == null && step > firstStep) {
                lastVal = validate(validator, ema, evalNet, evalModel, step, log, start);
            }
        } finally {
            log.close();
            finished.countDown();
            io.shiftsr.io.AtomicFiles.finished(finished);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Already shutting down: the hook is running and waits for the latch above.
            }
        }
        return new Outcome(firstStep, step, lastCheckpoint, lastVal);
    }

    private Validator.Result validate(Validator validator, Ema ema, SrNetwork evalNet, ShiftSrModel evalModel,
            long step, TrainingLog log, long start) throws Exception {
        ema.copyInto(evalNet.namedParameters());
        Validator.Result v = validator.validate(evalModel, cfg.run().valSteps());
        log.logValidation(step, (System.nanoTime() - start) / 1e9, v.psnrY(), v.ssimY(), v.bicubicPsnrY(),
                v.bicubicSsimY());
        out.message(String.format(Locale.ROOT, "step %d: val psnr_y=%.4f ssim_y=%.4f (bicubic %.4f / %.4f, %+.3f dB)", step,
                v.psnrY(), v.ssimY(), v.bicubicPsnrY(), v.bicubicSsimY(), v.psnrY() - v.bicubicPsnrY()));
        log.writePlot(runDir.resolve("training.png"));
        writeGrid(validator, v, step);
        // Validation PSNR can decline while the loss still falls (lossy training photos, DESIGN.md 6b):
        // keep the EMA weights of the best validation as a ready model file.
        double best = log.rows().stream().filter(r -> r.isValidation() && r.step() < step)
                .mapToDouble(LogRow::psnrY).max().orElse(Double.NEGATIVE_INFINITY);
        if (v.psnrY() > best) {
            ModelFiles.save(evalModel, evalNet.namedParameters(), runDir.resolve(BEST_MODEL), DType.F32,
                    Map.of("training_steps", Long.toString(step), "val_psnr_y", String.format(java.util.Locale.ROOT, "%.4f",
                            v.psnrY())));
        }
        return v;
    }

    private void writeGrid(Validator validator, Validator.Result v, long step) {
        List<List<Image>> refs = validator.referenceCrops();
        List<List<Image>> rows = new ArrayList<>();
        for (int i = 0; i < Math.min(4, refs.size()); i++) {
            rows.add(List.of(refs.get(i).get(0), v.crops().get(i), refs.get(i).get(1)));
        }
        Image grid = SideBySide.grid(rows, List.of("bicubic", "ShiftSR step " + step, "HR"), 4);
        ImageWriting.write(grid, runDir.resolve("validation.png"));
    }

    /**
     * The model a config trains: a fresh network, the config's schedule, and as its model-file description the
     * scales it trains on and its validation step count as the default (the setting the run is judged by).
     */
    public static ShiftSrModel modelOf(TrainConfig cfg, long seed) {
        return ShiftSrModel.create(cfg.model(), cfg.diffusion().schedule(), seed)
                .trainedFor(new ShiftSrModel.ScaleRange(cfg.data().scaleMin(), cfg.data().scaleMax()), cfg.run().valSteps());
    }

    /** Copies every weight of a model file into the same-named parameter; names the ones it lacks. */
    /**
     * Whether the run dir's log has a row: a start that failed before its first step (a missing training folder)
     * leaves only the header, and that must not block the corrected rerun.
     */
    private static boolean holdsLogRows(Path runDir) {
        Path log = runDir.resolve(TrainingLog.FILE_NAME);
        if (!Files.exists(log)) {
            return false;
        }
        try {
            // Exactly our header and nothing else: a start that failed before its first step (older versions
            // opened the log before checking the photos). Anything else is someone's log: keep refusing.
            return !Files.readString(log).strip().equals(TrainingLog.HEADER);
        } catch (java.io.IOException | RuntimeException e) {
            return true;
        }
    }

    private static String initialise(Map<String, Tensor> params, Path file) {
        Map<String, float[]> source = new java.util.LinkedHashMap<>();
        ModelFiles.load(file).net().stateDict().forEach((n, t) -> source.put(n, t.toFloatArray()));
        List<String> fresh;
        try {
            fresh = io.shiftsr.nn.StateDict.loadAllowingMissing(params, source, file + ": its weights and this model config");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "; fine-tune only a model of the same shape");
        }
        return "initialised from " + file + (fresh.isEmpty() ? "" : "; new parameters: " + String.join(", ", fresh));
    }

    /** Mixed precision asked for (run.precision bf16, or auto on a CPU with native bfloat16). */
    static boolean bf16(TrainConfig cfg) {
        return io.shiftsr.engine.Precision.parse(cfg.run().precision()).resolve() == io.shiftsr.engine.Precision.BF16;
    }
}
