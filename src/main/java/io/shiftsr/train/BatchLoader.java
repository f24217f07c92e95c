package io.shiftsr.train;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Prepares the next batches on a background thread while the engine computes, so decoding and degradation
 * overlap with training. Reports how long the trainer waited (data must not be the bottleneck).
 */
public final class BatchLoader implements AutoCloseable {
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(2);
    private final Thread thread;
    private volatile boolean stop;
    private long waitedNanos;

    public BatchLoader(BatchMaker maker, long firstStep) {
        thread = new Thread(() -> {
            try {
                for (long s = firstStep; !stop; s++) {
                    Batch b = maker.make(s);
                    // Poll instead of being interrupted: an interrupt inside an image decode would look
                    // like a corrupt file.
                    while (!stop && !queue.offer(b, 100, TimeUnit.MILLISECONDS)) {
                        // wait for the trainer to take one
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                queue.offer(e);
            }
        }, "shiftsr-batch-loader");
        thread.setDaemon(true);
        // Below the engine's threads: a busy loader must not steal a core from the convolutions for long.
        thread.setPriority(Thread.NORM_PRIORITY - 1);
        thread.start();
    }

    public Batch next() throws InterruptedException {
        long t0 = System.nanoTime();
        Object o = queue.take();
        waitedNanos += System.nanoTime() - t0;
        if (o instanceof RuntimeException e) {
            throw e;
        }
        return (Batch) o;
    }

    /** Total time spent waiting for data, and reset. */
    public long takeWaitedNanos() {
        long w = waitedNanos;
        waitedNanos = 0;
        return w;
    }

    @Override
    public void close() {
        stop = true;
    }
}
