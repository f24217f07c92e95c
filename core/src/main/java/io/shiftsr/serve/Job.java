package io.shiftsr.serve;

import io.shiftsr.sr.DegradationLevel;
import java.nio.file.Path;
import java.time.Instant;

/** One upscale job: its state moves QUEUED -> RUNNING -> DONE or FAILED; the result is a PNG file in the queue's temp folder. */
public final class Job {
    public enum State { QUEUED, RUNNING, DONE, FAILED }

    private final String id;
    private final JobRequest request;
    private final Instant created = Instant.now();
    private volatile State state = State.QUEUED;
    private volatile double progress;
    private volatile String error;
    private volatile Result result;
    private volatile Instant finished;

    /**
     * The finished image: a file the queue owns (deleted when the job expires), its size, and what the model was
     * told about the input (null: nothing, e.g. bicubic).
     */
    public record Result(Path file, int width, int height, DegradationLevel.Reading told) {}

    Job(String id, JobRequest request) {
        this.id = id;
        this.request = request;
    }

    public String id() { return id; }
    public JobRequest request() { return request; }
    public Instant created() { return created; }
    public State state() { return state; }
    public double progress() { return progress; }
    public String error() { return error; }
    public Result result() { return result; }
    public Instant finished() { return finished; }

    void running() {
        state = State.RUNNING;
    }

    void progress(double p) {
        progress = Math.max(progress, Math.min(1, p));
    }

    void done(Result r) {
        result = r;
        progress = 1;
        finished = Instant.now();
        state = State.DONE;
    }

    void failed(String message) {
        error = message;
        finished = Instant.now();
        state = State.FAILED;
    }
}
