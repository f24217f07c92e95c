package io.shiftsr.bench;

import java.util.Locale;
import io.shiftsr.ShiftSr;
import io.shiftsr.io.StageClock;
import java.util.ArrayList;
import java.util.List;
import io.shiftsr.diffusion.Schedule;
import io.shiftsr.engine.Precision;
import io.shiftsr.engine.Engine;
import io.shiftsr.engine.Rng;
import io.shiftsr.engine.Scope;
import io.shiftsr.engine.Tensor;
import io.shiftsr.image.Image;
import io.shiftsr.model.SrNetwork;
import io.shiftsr.model.ModelConfig;
import io.shiftsr.sr.ShiftSrModel;
import io.shiftsr.train.AdamW;
import io.shiftsr.train.TrainingBatch;
import io.shiftsr.train.BatchLoader;
import io.shiftsr.train.BatchMaker;
import io.shiftsr.train.PhotoLibrary;
import io.shiftsr.train.TrainConfig;
import io.shiftsr.train.TrainStep;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Throughput benchmarks (not tests): inference of a 256x256 input x4 at 1, 4 and 15 steps, a training step
 * of a config, and the ceiling of plain libtorch 3x3 convolutions of the same sizes measured in the same
 * run, so the achieved fraction is comparable across machines. Median of repeated runs after warm-up.
 */
public final class Benchmarks {
    private final Consumer<String> out;
    private final int repeats;

    public Benchmarks(Consumer<String> out, int repeats) {
        this.out = out;
        this.repeats = repeats;
    }

    static double median(double[] xs) {
        return Spread.of(xs).median();
    }

    /** The median and the range of repeated measurements, as the reports give their noise. */
    record Spread(double median, double min, double max) {
        static Spread of(double[] xs) {
            double[] s = xs.clone();
            Arrays.sort(s);
            int n = s.length;
            return new Spread(n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2, s[0], s[n - 1]);
        }
    }

    private double timeMedian(Runnable r) {
        r.run(); // warm-up
        double[] t = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        return median(t);
    }

    /**
     * Seconds per call of a short kernel at its best: each timing loops it for at least {@link #KERNEL_SECONDS}
     * (a single 5 ms bf16 conv timed alone varied 2x between runs), and the fastest of the repeats counts, as a
     * ceiling should (other load on the machine only ever slows a timing down).
     */
    private double timeBestPerCall(Runnable r) {
        long t0 = System.nanoTime();
        r.run(); // warm-up (oneDNN builds its primitive on the first call)
        r.run();
        double once = (System.nanoTime() - t0) / 2e9;
        int calls = (int) Math.max(1, Math.ceil(KERNEL_SECONDS / Math.max(once, 1e-6)));
        double best = Double.MAX_VALUE;
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            for (int k = 0; k < calls; k++) {
                r.run();
            }
            best = Math.min(best, (System.nanoTime() - start) / 1e9 / calls);
        }
        return best;
    }

    private static final double KERNEL_SECONDS = 0.25;

    /** The warm-up before a timed run: how many runs it took, the JIT's time in the last, and whether it settled. */
    record WarmUp(int runs, double lastCompileMillis, boolean settled) {
        String describe() {
            if (lastCompileMillis < 0) {
                return runs + " warm-up run" + (runs == 1 ? "" : "s");
            }
            return String.format(Locale.ROOT, "%d warm-up runs, %s (%.0f ms of JIT compiling in the last)", runs,
                    settled ? "until the JIT settled" : "the most allowed, the JIT not yet settled", lastCompileMillis);
        }
    }

    /** Warm-up runs at most: a 256x256 default takes 0.3-0.6 s here, and the JIT settled after about 12. */
    static final int MAX_WARM_UP_RUNS = 40;
    /** Wall-clock bound of the warm-up, whatever the run's size. */
    static final double MAX_WARM_UP_SECONDS = 30;

    /**
     * Runs {@code r} until the JIT compilers spent under 2% of a run's wall time compiling during it (at least
     * two runs; at most {@link #MAX_WARM_UP_RUNS} or {@link #MAX_WARM_UP_SECONDS}): the Java stages around the
     * network (y0, tiles, the PNG) run interpreted or in profiling code for their first several calls, and the
     * C2 compiler threads share the two cores with them meanwhile. Where the JVM cannot report its compiling
     * time, one warm-up run, as {@link #timeMedian} has.
     */
    static WarmUp warmUp(Runnable r) {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        boolean monitored = jit != null && jit.isCompilationTimeMonitoringSupported();
        long start = System.nanoTime();
        for (int run = 1; ; run++) {
            long compiled = monitored ? jit.getTotalCompilationTime() : 0;
            long t0 = System.nanoTime();
            r.run();
            double sec = (System.nanoTime() - t0) / 1e9;
            if (!monitored) {
                return new WarmUp(1, -1, true);
            }
            double compileMillis = jit.getTotalCompilationTime() - compiled;
            boolean settled = run >= 2 && compileMillis < 0.02 * sec * 1000;
            if (settled || run >= MAX_WARM_UP_RUNS || (System.nanoTime() - start) / 1e9 >= MAX_WARM_UP_SECONDS) {
                return new WarmUp(run, compileMillis, settled);
            }
        }
    }

    /** GFLOP/s of a plain 3x3 conv c->c on (batch, c, size, size), forward or forward+backward, in fp32. */
    public double convCeiling(int batch, int channels, int size, boolean backward) {
        return convCeiling(batch, channels, size, backward, Precision.FP32);
    }

    /** As above, in the given precision (bf16: bfloat16 weights, channels-last, as the network runs then). */
    public double convCeiling(int batch, int channels, int size, boolean backward, Precision precision) {
        Rng rng = new Rng(0);
        Tensor x = rng.randn(batch, channels, size, size).persistent();
        Tensor w = rng.randn(channels, channels, 3, 3).mul(0.05).persistent().requiresGrad(backward);
        boolean bf16 = precision.resolve() == Precision.BF16;
        if (bf16 && backward) { // training: fp32 weights channels-last, the conv under bf16 autocast
            w.channelsLastInPlace();
        } else if (bf16) {
            w.convertInPlace(Precision.BF16);
            x = x.conv2d(Tensor.zeros(channels, channels, 1, 1).convertInPlace(Precision.BF16), null, 1, 0, 1)
                    .persistent(); // an input already in bf16 channels-last, as the layers inside the network get
        }
        Tensor in = x;
        double sec = timeBestPerCall(() -> {
            try (Scope s = Scope.open(); Engine.GradGuard g = backward ? null : Engine.gradDisabled();
                    Engine.GradGuard a = bf16 && backward ? Engine.autocastBf16() : null) {
                Tensor y = in.conv2d(w, null, 1, 1, 1);
                if (backward) {
                    y.sum().backward();
                } // forward: the conv alone (CPU ops return when done; a reduction here cost ~20% of a bf16 conv)
            }
        });
        double flops = 2.0 * batch * size * size * channels * channels * 9 * (backward ? 2 : 1);
        // Backward of a conv whose input needs no gradient computes only the weight gradient: 2x forward.
        return flops / sec / 1e9;
    }

    /** An input to time: its encoded bytes and what it is, for the report. */
    public record Input(byte[] png, int side, String what) {}

    /**
     * A model file at its default setting, as users run it: {@code photo} (lrSize x lrSize) x4 from its encoded
     * bytes to the encoded PNG (`default:`), the stages of that run in one table, the same on uniform noise
     * (which PNG cannot compress), and the network calls alone; GFLOP/s against the conv ceiling of the precision
     * it runs in, measured here in the same run.
     */
    public void defaultSetting(ShiftSr sr, Input photo) {
        ShiftSrModel model = sr.model();
        int lrSize = photo.side();
        int steps = sr.steps();
        int calls = steps * sr.ensemble();
        long latentPixels = (long) lrSize * lrSize;
        double flops = 2.0 * model.net().macsPerLatentPixel() * latentPixels * calls;
        Precision p = model.precision();
        out.accept(String.format(Locale.ROOT, "model %s: %,d parameters, %d step%s x %d ensemble member%s by default,"
                + " %s, %d threads", sr.name(), model.net().parameterCount(), steps, steps == 1 ? "" : "s",
                sr.ensemble(), sr.ensemble() == 1 ? "" : "s", p, Engine.threads()));
        int width = model.net().config().width();
        // The ceiling: the best a plain width->width 3x3 conv reaches over the same pixels cut three ways. The
        // rate depends on the shape (bf16: 1x256^2 about 450 GFLOP/s, 8x48^2 about 670; docs/PERFORMANCE.md),
        // and one shape alone put the network at 120-180% of it.
        double ceiling = 0;
        String bestShape = "";
        for (int b : new int[] {1, 4, 16}) {
            int side = lrSize / (int) Math.sqrt(b);
            double g = convCeiling(b, width, side, false, p);
            if (g > ceiling) {
                ceiling = g;
                bestShape = b + "x" + side + "^2";
            }
        }
        // Warm-up until the JIT has settled (the timed runs then measure the Java stages as compiled code, as the
        // network alone is measured: steady state against steady state); the first run's time is printed too.
        StageClock cold = new StageClock();
        long c0 = System.nanoTime();
        sr.upscale(photo.png(), 4, "png", cold);
        double coldSeconds = (System.nanoTime() - c0) / 1e9;
        WarmUp warm = warmUp(() -> sr.upscale(photo.png(), 4, "png", null));
        // The network alone: the same calls on a latent of the photo's size, no Java stages around them.
        int lc = model.net().config().latentChannels();
        Tensor xt = new Rng(3).randn(1, lc, lrSize, lrSize).persistent();
        float[] scale = {4f};
        Runnable networkAlone = () -> {
            try (Scope s = Scope.open(); Engine.GradGuard g = Engine.gradDisabled()) {
                for (int i = 0; i < calls; i++) {
                    model.predictX0(xt, xt, new int[] {model.schedule().steps() - i % steps}, scale).sum().item();
                }
            }
        };
        networkAlone.run(); // its warm-up
        // One timed run per repeat, each with its own clock (the run of median total gives the table), and each
        // followed at once by one of the network alone: this machine's speed drifts by up to 40% within minutes,
        // so the ratio is taken run by run, each pair at one speed, and its median printed.
        List<StageClock> clocks = new ArrayList<>();
        double[] totals = new double[repeats];
        double[] nets = new double[repeats];
        double[] ratios = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            StageClock clock = new StageClock();
            long t0 = System.nanoTime();
            sr.upscale(photo.png(), 4, "png", clock);
            totals[i] = (System.nanoTime() - t0) / 1e9;
            clocks.add(clock);
            long n0 = System.nanoTime();
            networkAlone.run();
            nets[i] = (System.nanoTime() - n0) / 1e9;
            ratios[i] = totals[i] / nets[i];
        }
        Integer[] order = new Integer[repeats];
        for (int i = 0; i < repeats; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingDouble(i -> totals[i]));
        int median = order[repeats / 2];
        double endToEnd = totals[median];
        out.accept(String.format(Locale.ROOT, "input: %s, %dx%d -> %dx%d PNG", photo.what(), lrSize, lrSize, 4 * lrSize,
                4 * lrSize));
        out.accept(String.format(Locale.ROOT, "default: %.3f s/image, %.1f GFLOP/s, %.0f%% of the %s ceiling", endToEnd,
                flops / endToEnd / 1e9, 100 * flops / endToEnd / 1e9 / ceiling, p));
        out.accept(String.format(Locale.ROOT, "  (the photo, encoded in to encoded out; median of %d, fastest %.3f,"
                + " slowest %.3f)", repeats, totals[order[0]], totals[order[repeats - 1]]));
        out.accept(String.format(Locale.ROOT, "  (after this model's first run and %s)", warm.describe()));
        StageClock c = clocks.get(median);
        out.accept("  stages of that run (timed where they run), and of this model's first run (in a fresh JVM the"
                + " process's first network call, with the JIT compiling beside it):");
        out.accept("  | stage | s | share | first run, s |");
        out.accept("  |---|---:|---:|---:|");
        for (StageClock.Stage st : StageClock.Stage.values()) {
            double sec = c.nanos(st) / 1e9;
            out.accept(String.format(Locale.ROOT, "  | %s | %.3f | %.0f%% | %.3f |", st.label(), sec,
                    100 * sec / endToEnd, cold.nanos(st) / 1e9));
        }
        out.accept(String.format(Locale.ROOT, "  | all stages | %.3f | %.0f%% | %.3f |", c.totalSeconds(),
                100 * c.totalSeconds() / endToEnd, coldSeconds));
        Image noise = randomImage(lrSize);
        double noiseEnd = timeMedian(() -> sr.upscale(noise, 4, new java.io.ByteArrayOutputStream(), "png", 95, null));
        out.accept(String.format(Locale.ROOT, "default (uniform noise, decoded in to encoded out): %.3f s/image",
                noiseEnd));
        double net = median(nets);
        Spread ratio = Spread.of(ratios);
        out.accept(String.format(Locale.ROOT, "  network alone: %.3f s/image, %.1f GFLOP/s, %.0f%%; the default on the"
                + " photo is %.2fx it (median of %d pair%s ratios, each default run followed by one of the"
                + " network alone; %.2f-%.2fx)", net, flops / net / 1e9, 100 * flops / net / 1e9 / ceiling,
                ratio.median(), repeats, repeats == 1 ? "'s" : "s'", ratio.min(), ratio.max()));
        out.accept(String.format(Locale.ROOT, "  ceiling: plain 3x3 conv %d->%d forward, %s, best of 1x%d^2, 4x%d^2, 16x%d^2"
                + " (%s): %.1f GFLOP/s", width, width, p, lrSize, lrSize / 2, lrSize / 4, bestShape, ceiling));
        lastNetworkAlone = networkAlone;
    }

    /** The network alone of the last {@link #defaultSetting}: one image's calls, the bound a folder is compared with. */
    private Runnable lastNetworkAlone;

    /**
     * A folder of {@code n} copies of {@code photo} through {@code upscale DIR} ({@code run} upscales the folder
     * given to a fresh output folder), reported in images/s and as a share of the network-bound rate: that of
     * the model the last {@link #defaultSetting} ran, which must still be open.
     */
    public void batch(Input photo, int n, java.util.function.BiConsumer<java.nio.file.Path, java.nio.file.Path> run)
            throws java.io.IOException {
        if (lastNetworkAlone == null) {
            throw new IllegalStateException("batch compares with the network alone of a defaultSetting run first");
        }
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("shiftsr-bench-batch");
        try {
            java.nio.file.Path in = java.nio.file.Files.createDirectories(dir.resolve("in"));
            for (int i = 0; i < n; i++) {
                java.nio.file.Files.write(in.resolve(String.format(Locale.ROOT, "photo-%04d.png", i)), photo.png());
            }
            run.accept(in, dir.resolve("warm-up")); // the first pass loads the model and warms the caches
            // Each pass is followed at once by the network alone for as many images (the bound), so that each
            // share is taken at one machine speed; the median pass and the median share are printed.
            int passes = Math.max(1, Math.min(repeats, 3));
            double[] t = new double[passes];
            double[] bounds = new double[passes];
            double[] shares = new double[passes];
            for (int r = 0; r < passes; r++) {
                long t0 = System.nanoTime();
                run.accept(in, dir.resolve("out" + r));
                t[r] = (System.nanoTime() - t0) / 1e9;
                long n0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    lastNetworkAlone.run();
                }
                bounds[r] = n / ((System.nanoTime() - n0) / 1e9);
                shares[r] = n / t[r] / bounds[r];
            }
            double sec = median(t);
            double rate = n / sec;
            Spread share = Spread.of(shares);
            out.accept(String.format(Locale.ROOT, "batch: %d copies of the %dx%d photo through `upscale DIR`: %.2f s,"
                    + " %.2f images/s (median of %d), %.0f%% of the network-bound %.2f images/s (median of the passes'"
                    + " shares, %.0f-%.0f%%, each pass followed by the network alone for %d images)", n, photo.side(),
                    photo.side(), sec, rate, passes, 100 * share.median(), median(bounds), 100 * share.min(),
                    100 * share.max(), n));
        } finally {
            try (var files = java.nio.file.Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static Image randomImage(int lrSize) {
        Random r = new Random(1);
        float[][] p = new float[3][lrSize * lrSize];
        for (float[] plane : p) {
            for (int i = 0; i < plane.length; i++) {
                plane[i] = r.nextFloat();
            }
        }
        return Image.of(lrSize, lrSize, p);
    }

    public void inference(ModelConfig cfg, int lrSize) {
        ShiftSrModel model = ShiftSrModel.create(cfg, Schedule.resShift(), 1);
        Random r = new Random(1);
        float[][] p = new float[3][lrSize * lrSize];
        for (float[] plane : p) {
            for (int i = 0; i < plane.length; i++) {
                plane[i] = r.nextFloat();
            }
        }
        Image lr = Image.of(lrSize, lrSize, p);
        long latentPixels = (long) lrSize * lrSize; // x4 output, latent = output / 4
        double flopsPerStep = 2.0 * model.net().macsPerLatentPixel() * latentPixels;
        out.accept(String.format(Locale.ROOT, "inference: %dx%d -> %dx%d, %s, %,d parameters, %.2f GFLOP per step, %d threads",
                lrSize, lrSize, 4 * lrSize, 4 * lrSize, cfg, model.net().parameterCount(), flopsPerStep / 1e9,
                Engine.threads()));
        ShiftSr sr = ShiftSr.of(model, "config");
        for (int steps : new int[] {1, 4, 15}) {
            ShiftSr up = sr.with(ShiftSr.Settings.DEFAULT.withSteps(steps).withEnsemble(1).withTiles(lrSize, 0));
            double sec = timeMedian(() -> up.upscale(lr, 4));
            out.accept(String.format(Locale.ROOT, "  %2d steps: %.3f s/image, %.3f latent MP/s, %.1f GFLOP/s", steps, sec,
                    steps * latentPixels / sec / 1e6, steps * flopsPerStep / sec / 1e9));
        }
        out.accept(String.format(Locale.ROOT, "  ceiling: plain 3x3 conv %d->%d on 1x%dx%d forward: %.1f GFLOP/s",
                cfg.width(), cfg.width(), lrSize, lrSize, convCeiling(1, cfg.width(), lrSize, false)));
    }

    /**
     * A training step fed by the real data pipeline (photos decoded and cached first), to see what the
     * background loader costs the compute threads, not just whether the trainer waits for it.
     */
    public void trainingWithData(TrainConfig cfg, int steps) {
        ShiftSrModel model = ShiftSrModel.create(cfg.model(), cfg.diffusion().schedule(), 1);
        SrNetwork net = model.net();
        TrainStep.prepare(net, cfg);
        TrainStep step = new TrainStep(model, cfg, new AdamW(net.namedParameters(), 0.9, 0.99, 0));
        PhotoLibrary photos = new PhotoLibrary(java.nio.file.Path.of(cfg.data().train()), cfg.data().shrinkFirst(),
                (long) cfg.data().cacheMegabytes() << 20, m -> { });
        long t0 = System.nanoTime();
        for (int i = 0; i < photos.size(); i++) {
            photos.get(i);
        }
        out.accept(String.format(Locale.ROOT, "training with data: %d photos decoded and cached in %.1f s", photos.size(),
                (System.nanoTime() - t0) / 1e9));
        BatchMaker maker = new BatchMaker(photos, cfg.data(), 1, cfg.degradation());
        try (BatchLoader loader = new BatchLoader(maker, 0)) {
            for (int i = 0; i < 3; i++) {
                step.run(loader.next());
            }
            loader.takeWaitedNanos();
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                step.run(loader.next());
            }
            double sec = (System.nanoTime() - start) / 1e9 / steps;
            out.accept(String.format(Locale.ROOT, "  step %.3f s, %.1f samples/s, making batches %.1f%% of the time", sec,
                    cfg.data().batch() / sec, 100.0 * loader.takeWaitedNanos() / 1e9 / (sec * steps)));
        }
        long m0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            maker.make(1000 + i);
        }
        out.accept(String.format(Locale.ROOT, "  making one batch alone: %.3f s wall (%s)",
                (System.nanoTime() - m0) / 1e9 / steps, cfg.degradation().probability() > 0
                        ? "degraded crops on " + Runtime.getRuntime().availableProcessors() + " threads" : "one core"));
    }

    public void training(TrainConfig cfg) {
        ShiftSrModel model = ShiftSrModel.create(cfg.model(), cfg.diffusion().schedule(), 1);
        SrNetwork net = model.net();
        TrainStep.prepare(net, cfg);
        AdamW adam = new AdamW(net.namedParameters(), 0.9, 0.99, 0);
        TrainStep step = new TrainStep(model, cfg, adam);
        int b = cfg.data().batch(), c = cfg.data().crop();
        Random r = new Random(2);
        float[] hr = new float[b * 3 * c * c];
        float[] y0 = new float[hr.length];
        float[] scales = new float[b];
        java.util.Arrays.fill(scales, 4f);
        for (int i = 0; i < hr.length; i++) {
            hr[i] = r.nextFloat() * 2 - 1;
            y0[i] = hr[i] * 0.9f;
        }
        long[] k = {0};
        double sec = timeMedian(() -> step.run(new TrainingBatch(k[0]++, b, c, hr, y0, scales)));
        int latent = c / 4;
        double flops = 3.0 * 2.0 * net.macsPerLatentPixel() * latent * latent * b; // forward + ~2x backward
        out.accept(String.format(Locale.ROOT, "training: batch %d x %dx%d crops (latent %dx%d), %s, %s, %d threads", b, c, c,
                latent, latent, cfg.model(), cfg.run().precision(), Engine.threads()));
        out.accept(String.format(Locale.ROOT, "  step %.3f s, %.1f samples/s, %.1f GFLOP/s", sec, b / sec, flops / sec / 1e9));
        Precision p = Precision.parse(cfg.run().precision()).resolve();
        out.accept(String.format(Locale.ROOT, "  ceiling: plain 3x3 conv %d->%d on %dx%dx%d forward+backward, %s: %.1f GFLOP/s",
                cfg.model().width(), cfg.model().width(), b, latent, latent, p,
                convCeiling(b, cfg.model().width(), latent, true, p)));
    }
}
