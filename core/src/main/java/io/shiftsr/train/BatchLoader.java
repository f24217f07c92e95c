package io.shiftsr.train;

/**
 * Feeds the trainer. Decoding photos (slow, once per photo while the cache fills) runs on a background
 * thread that warms the cache ahead of the trainer; cropping and degrading a batch (about 30 ms of one core
 * for the clean recipe; the real-photo degradation, about 15 ms a crop, on every core: BatchMaker) runs inline,
 * between steps. Closing the loader stops the maker's degradation threads.
 *
 * <p>Why not assemble batches in the background too: libtorch's OpenMP threads spin at barriers on both
 * cores, so any other busy thread stalls them. Measured with {@code shiftsr bench --only data}: a step fed
 * by a background batch thread took 0.736 s, against 0.574 s with no data work at all and 0.031 s to make a
 * batch; inline assembly costs 5%, background assembly 28% (docs/PERFORMANCE.md).
 */
public final class BatchLoader implements AutoCloseable {
    private final BatchMaker maker;
    private final Thread warmer;
    private volatile boolean stop;
    private long step;
    private long dataNanos;

    public BatchLoader(BatchMaker maker, long firstStep) {
        this.maker = maker;
        this.step = firstStep;
        PhotoLibrary photos = maker.photos();
        warmer = new Thread(() -> {
            for (int i = 0; i < photos.size() && !stop && !photos.cacheFull(); i++) {
                photos.get(i);
            }
        }, "shiftsr-photo-decoder");
        warmer.setDaemon(true);
        warmer.start();
    }

    /** The batch of the next step (deterministic in the step number). */
    public TrainingBatch next() {
        long t0 = System.nanoTime();
        TrainingBatch b = maker.make(step++);
        dataNanos += System.nanoTime() - t0;
        return b;
    }

    /** Time spent making batches (including waiting for a photo to decode) since the last call, and reset. */
    public long takeWaitedNanos() {
        long w = dataNanos;
        dataNanos = 0;
        return w;
    }

    @Override
    public void close() {
        stop = true; // the decoder finishes the photo it is on; an interrupt would look like a corrupt file
        maker.close();
    }
}
