package io.shiftsr.cli;

import io.shiftsr.engine.Engine;
import io.shiftsr.model.ShiftSrModel;
import io.shiftsr.serve.JobQueue;
import io.shiftsr.serve.UpscaleRunner;
import io.shiftsr.serve.WebServer;
import io.shiftsr.weights.ModelFiles;
import io.shiftsr.weights.WeightsException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shiftsr serve}: the local web app. Loopback only unless --host says otherwise. */
@Command(name = "serve", description = {"Serve the web app: drop an image, watch it upscale, compare, download.",
        "Binds to 127.0.0.1 by default; the API is described at /api/openapi.yaml."})
final class ServeCommand extends BaseCommand {
    @Option(names = "--port", defaultValue = "8080", paramLabel = "N", description = "Port. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDR",
            description = "Address to listen on. Default: ${DEFAULT-VALUE} (this machine only).")
    String host;

    @Option(names = "--model", paramLabel = "FILE", description = "Model file. Default: the bundled model.")
    Path model;

    @Option(names = "--max-upload-mb", defaultValue = "25", paramLabel = "MB",
            description = "Largest upload. Default: ${DEFAULT-VALUE}.")
    long maxUploadMb;

    @Option(names = "--max-pixels", defaultValue = "4000000", paramLabel = "N",
            description = "Largest input image in pixels. Default: ${DEFAULT-VALUE}.")
    long maxPixels;

    @Option(names = "--queue", defaultValue = "8", paramLabel = "N",
            description = "Jobs that may wait while one computes; more get 429. Default: ${DEFAULT-VALUE}.")
    int queueCapacity;

    @Option(names = "--job-ttl-minutes", defaultValue = "30", paramLabel = "M",
            description = "Finished jobs and their results are forgotten after M minutes. Default: ${DEFAULT-VALUE}.")
    long ttlMinutes;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "Compute threads; 0 = all.")
    int threads;

    @Override
    protected int run() throws Exception {
        if (port < 0 || port > 65535 || maxUploadMb < 1 || maxPixels < 1 || queueCapacity < 1 || ttlMinutes < 1) {
            usageError("--port 0..65535; --max-upload-mb, --max-pixels, --queue, --job-ttl-minutes >= 1");
        }
        Engine.init(threads);
        Path file = model != null ? model : DefaultModel.path();
        ShiftSrModel m;
        double[] scales;
        try {
            m = ModelFiles.load(file);
            scales = trainedScales(ModelFiles.metadata(file));
        } catch (WeightsException e) {
            throw new CliException(ExitCode.BAD_INPUT, e.getMessage());
        }
        UpscaleRunner runner = new UpscaleRunner(m, file.getFileName().toString(), scales[0], scales[1], maxPixels);
        JobQueue queue = new JobQueue(runner, queueCapacity, Duration.ofMinutes(ttlMinutes));
        WebServer server = new WebServer(queue, runner, maxUploadMb << 20, queueCapacity);
        int bound;
        try {
            bound = server.start(host, port);
        } catch (RuntimeException e) {
            server.close();
            throw new CliException(ExitCode.IO_ERROR, "cannot listen on " + host + ":" + port + " ("
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()) + ")");
        }
        out().printf("ShiftSR is serving http://%s:%d/ (Ctrl-C to stop)%n", host.contains(":") ? "[" + host + "]"
                : host, bound);
        out().flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shiftsr-serve-stop"));
        stopped.await();
        return ExitCode.OK;
    }

    /** The model's trained scale range from its metadata (files from before it existed: x4). */
    static double[] trainedScales(Map<String, String> meta) {
        double lo = Double.parseDouble(meta.getOrDefault(ModelFiles.SCALE_MIN, "4"));
        double hi = Double.parseDouble(meta.getOrDefault(ModelFiles.SCALE_MAX, "4"));
        return new double[] {lo, hi};
    }
}
