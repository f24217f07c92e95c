package io.shiftsr.serve;

import java.nio.file.Path;
import java.util.function.DoubleConsumer;

/** Does the work of one job: reads the uploaded image file and returns the upscaled PNG. */
@FunctionalInterface
public interface JobRunner {
    Job.Result run(Path input, JobRequest request, DoubleConsumer progress) throws Exception;
}
