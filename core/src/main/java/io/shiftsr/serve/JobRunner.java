package io.shiftsr.serve;

import java.nio.file.Path;
import java.util.function.DoubleConsumer;

/** Does the work of one job: reads the uploaded image file and writes the upscaled PNG to {@code output}. */
@FunctionalInterface
public interface JobRunner {
    Job.Result run(Path input, Path output, JobRequest request, DoubleConsumer progress) throws Exception;
}
