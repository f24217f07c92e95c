package io.shiftsr.serve;

import io.shiftsr.image.ImageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One job computes at a time (the CPU is the bottleneck; two would only slow each other), at most
 * {@code capacity} wait; more are refused so the caller can answer 429. Uploads and results are written to a
 * private temp folder under names the server makes (job ids), so finished jobs hold no image in memory; they
 * and their files expire after {@code ttl}.
 */
public final class JobQueue implements AutoCloseable {
    /** The queue is full: try again later. */
    public static final class Full extends Exception {
        private final long retryAfterSeconds;

        Full(long retryAfterSeconds) {
            this(retryAfterSeconds, "the queue is full");
        }

        Full(long retryAfterSeconds, String why) {
            super(why, null, false, false);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    private final JobRunner runner;
    private final Duration ttl;
    private final Path tempDir;
    private final ThreadPoolExecutor worker;
    private final ScheduledExecutorService janitor;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final long maxStoredBytes;
    private volatile double averageSeconds = 5;

    public JobQueue(JobRunner runner, int capacity, Duration ttl) {
        this(runner, capacity, ttl, Long.MAX_VALUE);
    }

    /**
     * @param maxStoredBytes uploads and results kept on disk at most (about: a job accepted under the cap may
     *                       end above it by its own result); over it new jobs are refused until old ones expire
     */
    public JobQueue(JobRunner runner, int capacity, Duration ttl, long maxStoredBytes) {
        this.runner = runner;
        this.ttl = ttl;
        this.maxStoredBytes = maxStoredBytes;
        try {
            this.tempDir = Files.createTempDirectory("shiftsr-serve-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a temp folder: " + e.getMessage(), e);
        }
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(capacity),
                r -> daemon(r, "shiftsr-job"), new ThreadPoolExecutor.AbortPolicy());
        this.janitor = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "shiftsr-expiry"));
        long period = Math.max(1, Math.min(60, ttl.toSeconds() / 4));
        janitor.scheduleAtFixedRate(this::expire, period, period, TimeUnit.SECONDS);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Uploads and results on disk now, in bytes. */
    public long storedBytes() {
        try (var files = Files.list(tempDir)) {
            return files.mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // deleted meanwhile
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Queues a job for the image bytes (format already sniffed as {@code extension}). */
    public Job submit(JobRequest request, byte[] image, String extension) throws Full {
        if (storedBytes() + image.length > maxStoredBytes) {
            throw new Full(Math.max(1, Math.min(ttl.toSeconds(), 60)), "stored results are at the disk cap");
        }
        String id = UUID.randomUUID().toString();
        Job job = new Job(id, request);
        Path input = tempDir.resolve(id + "." + extension);
        try {
            Files.write(input, image);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the upload: " + e.getMessage(), e);
        }
        jobs.put(id, job);
        try {
            worker.execute(() -> run(job, input));
        } catch (RejectedExecutionException e) {
            jobs.remove(id);
            deleteQuietly(input);
            throw new Full(Math.max(1, Math.round(averageSeconds * (worker.getQueue().size() + 1))));
        }
        return job;
    }

    private void run(Job job, Path input) {
        job.running();
        Instant start = Instant.now();
        try {
            job.done(runner.run(input, resultPath(job), job.request(), job::progress));
            averageSeconds = 0.7 * averageSeconds + 0.3 * Duration.between(start, Instant.now()).toMillis() / 1000.0;
        } catch (ImageException | IllegalArgumentException e) {
            job.failed(withoutServerPaths(e.getMessage(), job, input));
        } catch (OutOfMemoryError e) {
            job.failed("not enough memory for this image");
        } catch (Exception | Error e) {
            job.failed("internal error: " + e.getClass().getSimpleName());
        } finally {
            deleteQuietly(input);
            if (job.state() != Job.State.DONE) {
                deleteQuietly(resultPath(job));
            }
        }
    }

    /** A failure message for the client: the server's temp paths are its business, not the client's. */
    private String withoutServerPaths(String message, Job job, Path input) {
        if (message == null) {
            return "failed";
        }
        return message.replace(input.toString(), "the upload").replace(resultPath(job).toString(), "the result")
                .replace(tempDir.toString(), "(server)");
    }

    private Path resultPath(Job job) {
        return tempDir.resolve(job.id() + "-result." + job.request().format());
    }

    public Optional<Job> get(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** Jobs waiting (not counting the one computing). */
    public int waiting() {
        return worker.getQueue().size();
    }

    /** Drops finished jobs older than the time-to-live, result files and all. */
    void expire() {
        Instant cutoff = Instant.now().minus(ttl);
        jobs.values().removeIf(j -> {
            boolean old = j.finished() != null && j.finished().isBefore(cutoff);
            if (old) {
                deleteQuietly(resultPath(j));
            }
            return old;
        });
    }

    @Override
    public void close() {
        worker.shutdownNow();
        janitor.shutdownNow();
        try (var files = Files.list(tempDir)) {
            files.forEach(JobQueue::deleteQuietly);
        } catch (IOException ignored) {
            // best effort
        }
        deleteQuietly(tempDir);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // temp files go with the folder at close
        }
    }
}
