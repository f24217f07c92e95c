package io.shiftsr.cli;

import io.shiftsr.ShiftSr;

import java.util.Locale;
import io.shiftsr.engine.Engine;
import io.shiftsr.sr.ShiftSrModel;
import io.shiftsr.serve.JobQueue;
import io.shiftsr.serve.UpscaleRunner;
import io.shiftsr.serve.WebServer;
import io.shiftsr.sr.ModelFiles;
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
    @picocli.CommandLine.Mixin
    PrecisionOption precision = new PrecisionOption();

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

    @picocli.CommandLine.Mixin
    Threads threadsOption = new Threads();
    private int threads;

    @Option(names = "--max-disk-mb", defaultValue = "2048", paramLabel = "MB",
            description = "Uploads and results kept on disk at most; new jobs get 507 above it. Default: ${DEFAULT-VALUE}.")
    long maxDiskMb;

    @Override
    protected int run() throws Exception {
        if (port < 0 || port > 65535 || maxUploadMb < 1 || maxPixels < 1 || queueCapacity < 1 || ttlMinutes < 1
                || maxDiskMb < 1) {
            usageError("--port 0..65535; --max-upload-mb, --max-pixels, --queue, --job-ttl-minutes, --max-disk-mb >= 1");
        }
        if (maxUploadMb > 4096 || maxPixels > 1_000_000_000L || queueCapacity > 1000 || ttlMinutes > 7 * 24 * 60
                || maxDiskMb > (1L << 30)) {
            usageError("--max-upload-mb <= 4096, --max-pixels <= 1e9, --queue <= 1000, --job-ttl-minutes <= 10080");
        }
        threads = threadsOption.get(this);
        Engine.init(threads);
        ShiftSr sr;
        try {
            sr = DefaultModel.load(model, this::notice).precision(precision.get(this));
        } catch (WeightsException e) {
            throw new CliException(ExitCode.BAD_INPUT, e.getMessage());
        }
        UpscaleRunner runner = new UpscaleRunner(sr, maxPixels);
        JobQueue queue = new JobQueue(runner, queueCapacity, Duration.ofMinutes(ttlMinutes), maxDiskMb << 20);
        WebServer server = new WebServer(queue, runner, maxUploadMb << 20, queueCapacity);
        int bound;
        try {
            bound = server.start(host, port);
        } catch (RuntimeException e) {
            server.close();
            throw new CliException(ExitCode.IO_ERROR, "cannot listen on " + host + ":" + port + " ("
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()) + ")");
        }
        out().printf(Locale.ROOT, "ShiftSR is serving http://%s:%d/ (Ctrl-C to stop)%n", host.contains(":") ? "[" + host + "]"
                : host, bound);
        if (!WebServer.isLoopback(host)) {
            error("warning: listening on " + host + ", beyond this machine: anyone who can reach it may upload"
                    + " images and use its CPU; there is no login");
        }
        out().flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shiftsr-serve-stop"));
        stopped.await();
        return ExitCode.OK;
    }
}
