package io.shiftsr.train;

import io.shiftsr.data.RealDegradation;
import io.shiftsr.image.Image;
import io.shiftsr.image.MatlabBicubic;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Makes the batch of a given step: random photo, crop (the most detailed of {@code data.cropCandidates}),
 * flip and 90-degree rotation, random scale, LR by MATLAB-compatible bicubic rounded to 8 bits like a real file
 * (or, for the configured share, by the real-photo degradation model, {@link RealDegradation}), y0 = bicubic
 * back up (DESIGN.md section 7).
 * Everything random derives from (seed, step), so a resumed run sees exactly the batches it would have.
 */
public final class BatchMaker implements AutoCloseable {
    private final PhotoLibrary photos;
    private final int crop;
    private final int batch;
    private final double scaleMin;
    private final double scaleMax;
    private final double[] scaleChoices;
    private final int candidates;
    private final long seed;
    private final RealDegradation degradation;
    private final int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
    private ExecutorService pool;

    /**
     * @param data        the crop, batch, scales and crop candidates ({@link TrainConfig.Data}; the photos are
     *                    already found and shrunk)
     * @param degradation the real-photo degradation model; with probability 0 the batches are exactly the
     *                    clean ones of before (no extra random draws)
     */
    public BatchMaker(PhotoLibrary photos, TrainConfig.Data data, long seed, RealDegradation.Settings degradation) {
        this.degradation = degradation.probability() > 0 ? new RealDegradation(degradation) : null;
        this.photos = photos;
        this.crop = data.crop();
        this.batch = data.batch();
        this.scaleMin = data.scaleMin();
        this.scaleMax = data.scaleMax();
        this.scaleChoices = data.scaleChoices().clone();
        this.candidates = data.cropCandidates();
        this.seed = seed;
    }

    PhotoLibrary photos() {
        return photos;
    }

    public TrainingBatch make(long step) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step);
        int n = 3 * crop * crop;
        float[] hr = new float[batch * n];
        float[] y0 = new float[batch * n];
        float[] scales = new float[batch];
        float[] levels = new float[batch];
        List<Callable<Void>> jobs = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            Image x0 = randomCrop(r);
            double scale = scaleChoices.length > 0 ? scaleChoices[r.nextInt(scaleChoices.length)]
                    : scaleMin == scaleMax ? scaleMin : scaleMin + (scaleMax - scaleMin) * r.nextDouble();
            scales[b] = (float) crop / lrSize(scale);
            copyNormalised(x0, hr, b * n);
            if (degradation == null) {
                copyNormalised(degradeAndUpsample(x0, scale), y0, b * n);
            } else {
                // Each crop gets a generator of its own, split off in sample order, so the result does not
                // depend on which thread degrades it or when.
                SplittableRandom own = r.split();
                int lr = lrSize(scale), offset = b, into = b * n;
                jobs.add(() -> {
                    RealDegradation.Result d = degradation.degrade(x0, lr, lr, own);
                    copyNormalised(MatlabBicubic.resize(d.lr(), crop, crop, (double) crop / lr), y0, into);
                    levels[offset] = d.level();
                    return null;
                });
            }
        }
        runAll(jobs);
        return new TrainingBatch(step, batch, crop, hr, y0, scales, levels);
    }

    /**
     * Degrades the crops of a batch on every core: between training steps libtorch is idle, so the cores
     * would be too. Each job touches only its own slice of the arrays.
     */
    private void runAll(List<Callable<Void>> jobs) {
        if (jobs.isEmpty()) {
            return;
        }
        try {
            for (Future<Void> f : pool().invokeAll(jobs)) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making a batch", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(c);
        }
    }

    /** Stops the degradation threads (idle between batches; a maker is not used after this). */
    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.shutdownNow();
            pool = null;
        }
    }

    private synchronized ExecutorService pool() {
        if (pool == null) {
            pool = Executors.newFixedThreadPool(workers, runnable -> {
                Thread t = new Thread(runnable, "shiftsr-degradation");
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }

    private int lrSize(double scale) {
        return Math.max(1, (int) Math.round(crop / scale));
    }

    /** LR = bicubic down to round(P / s), 8-bit; y0 = bicubic up to P again. */
    Image degradeAndUpsample(Image x0, double scale) {
        int lr = lrSize(scale);
        double effective = (double) crop / lr;
        Image low = MatlabBicubic.resize(x0, lr, lr, 1.0 / effective).quantize8();
        return MatlabBicubic.resize(low, crop, crop, effective);
    }

    private Image randomCrop(SplittableRandom r) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            PhotoLibrary.Photo p = photos.get(r.nextInt(photos.size()));
            if (p == null || p.width() < crop || p.height() < crop) {
                continue;
            }
            int x = r.nextInt(p.width() - crop + 1);
            int y = r.nextInt(p.height() - crop + 1);
            if (candidates > 1) {
                long best = detail(p, x, y, crop);
                for (int k = 1; k < candidates; k++) {
                    int cx = r.nextInt(p.width() - crop + 1);
                    int cy = r.nextInt(p.height() - crop + 1);
                    long d = detail(p, cx, cy, crop);
                    if (d > best) {
                        best = d;
                        x = cx;
                        y = cy;
                    }
                }
            }
            int orientation = r.nextInt(8); // 4 rotations x optional flip
            float[][] planes = new float[3][crop * crop];
            for (int c = 0; c < 3; c++) {
                byte[] src = p.planes()[c];
                float[] dst = planes[c];
                for (int i = 0; i < crop; i++) {
                    for (int j = 0; j < crop; j++) {
                        int si = i, sj = j;
                        switch (orientation & 3) {
                            case 1 -> { si = j; sj = crop - 1 - i; }
                            case 2 -> { si = crop - 1 - i; sj = crop - 1 - j; }
                            case 3 -> { si = crop - 1 - j; sj = i; }
                            default -> { }
                        }
                        if ((orientation & 4) != 0) {
                            sj = crop - 1 - sj;
                        }
                        dst[i * crop + j] = (src[(y + si) * p.width() + x + sj] & 0xFF) / 255f;
                    }
                }
            }
            return Image.of(crop, crop, planes);
        }
        throw new IllegalArgumentException("no usable training image of at least " + crop + "x" + crop + " pixels");
    }

    /**
     * How much detail the {@code size} x {@code size} window at (x, y) holds: the sum of squared luma steps
     * (BT.601 weights, 8-bit) to the right and downward neighbours inside it. Flips and quarter turns keep it.
     */
    static long detail(PhotoLibrary.Photo p, int x, int y, int size) {
        byte[] r = p.planes()[0], g = p.planes()[1], b = p.planes()[2];
        int w = p.width();
        int[] above = new int[size];
        long sum = 0;
        for (int i = 0; i < size; i++) {
            int row = (y + i) * w + x;
            int left = 0;
            for (int j = 0; j < size; j++) {
                int k = row + j;
                int luma = 77 * (r[k] & 0xFF) + 150 * (g[k] & 0xFF) + 29 * (b[k] & 0xFF); // x256
                if (j > 0) {
                    long d = luma - left;
                    sum += d * d;
                }
                if (i > 0) {
                    long d = luma - above[j];
                    sum += d * d;
                }
                left = luma;
                above[j] = luma;
            }
        }
        return sum;
    }

    private static void copyNormalised(Image img, float[] dst, int offset) {
        int n = img.width() * img.height();
        for (int c = 0; c < 3; c++) {
            float[] p = img.plane(c);
            for (int i = 0; i < n; i++) {
                dst[offset + c * n + i] = p[i] * 2f - 1f;
            }
        }
    }
}
