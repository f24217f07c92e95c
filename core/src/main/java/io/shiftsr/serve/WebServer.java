package io.shiftsr.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.shiftsr.sr.DegradationLevel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The local web app: one page and a small JSON API (src/main/resources/io/shiftsr/serve/openapi.yaml) over a
 * {@link JobQueue}. Nothing from a request reaches the file system: uploads are sniffed, stored under job ids
 * the server makes, and jobs are looked up by id in memory.
 */
public final class WebServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JobQueue queue;
    private final UpscaleRunner runner;
    private final long maxUploadBytes;
    private final int queueCapacity;
    private final Javalin app;
    /** Uploads being received at once; more are refused at once, so slow senders cannot hold every thread. */
    private final java.util.concurrent.Semaphore uploads = new java.util.concurrent.Semaphore(MAX_CONCURRENT_UPLOADS);
    private volatile HostCheck hostCheck = HostCheck.forBind("127.0.0.1");

    /** Uploads received at the same time; the rest get 503 without their bodies being read. */
    public static final int MAX_CONCURRENT_UPLOADS = 16;
    /** A connection silent this long is closed (slow-body senders). */
    public static final long IDLE_TIMEOUT_MS = 10_000;
    /** Request bodies slower than this are cut off (one byte every few seconds is an attack, not an upload). */
    public static final long MIN_UPLOAD_BYTES_PER_S = 4096;

    public WebServer(JobQueue queue, UpscaleRunner runner, long maxUploadBytes, int queueCapacity) {
        this.queue = queue;
        this.runner = runner;
        this.maxUploadBytes = maxUploadBytes;
        this.queueCapacity = queueCapacity;
        String page = resource("index.html");
        String openapi = resource("openapi.yaml").replace("{{FORMATS}}", io.shiftsr.image.ImageFormats.NAMES)
                .replace("{{DENOISE_SOURCES}}", java.util.Arrays.stream(DegradationLevel.Source.values())
                        .map(DegradationLevel.Source::label).collect(java.util.stream.Collectors.joining(", ")));
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.prefer405over404 = true;
            cfg.jetty.modifyHttpConfiguration(http -> {
                http.setIdleTimeout(IDLE_TIMEOUT_MS);
                http.setMinRequestDataRate(MIN_UPLOAD_BYTES_PER_S);
            });
            cfg.jetty.modifyServer(server -> server.addEventListener(new org.eclipse.jetty.util.component
                    .LifeCycle.Listener() {
                @Override
                public void lifeCycleStarting(org.eclipse.jetty.util.component.LifeCycle event) {
                    for (var c : server.getConnectors()) {
                        if (c instanceof org.eclipse.jetty.server.AbstractConnector ac) {
                            ac.setIdleTimeout(IDLE_TIMEOUT_MS);
                        }
                    }
                }
            }));
            cfg.http.maxRequestSize = maxUploadBytes;
            cfg.jetty.multipartConfig.maxFileSize(maxUploadBytes, io.javalin.config.SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxTotalRequestSize(maxUploadBytes + 65536, io.javalin.config.SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxInMemoryFileSize((int) Math.min(Integer.MAX_VALUE, maxUploadBytes),
                    io.javalin.config.SizeUnit.BYTES);
        });
        // DNS rebinding and cross-site requests: only this server's own names in Host, only its own page as
        // Origin. Any web page the user visits could otherwise drive the API (and fill the disk).
        app.before(ctx -> {
            String refusal = hostCheck.refusal(ctx.header("Host"), ctx.header("Origin"));
            if (refusal != null) {
                error(ctx, 403, refusal);
                ctx.skipRemainingHandlers();
            }
        });
        app.error(405, ctx -> error(ctx, 405, "method " + methodName(ctx) + " not allowed on " + ctx.path()));
        // Every GET also answers HEAD: the same status and headers, Content-Length included, without the body.
        getAndHead("/", ctx -> ctx.html(page));
        getAndHead("/api/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(openapi));
        getAndHead("/api/info", ctx -> json(ctx, 200, runner.info(maxUploadBytes, queueCapacity)));
        app.post("/api/jobs", this::submit);
        getAndHead("/api/jobs/{id}", ctx -> {
            Job job = queue.get(ctx.pathParam("id")).orElse(null);
            if (job == null) {
                error(ctx, 404, "no such job (unknown or expired)");
            } else {
                json(ctx, 200, describe(job));
            }
        });
        getAndHead("/api/jobs/{id}/result", ctx -> {
            Job job = queue.get(ctx.pathParam("id")).orElse(null);
            if (job == null) {
                error(ctx, 404, "no such job (unknown or expired)");
            } else if (job.state() != Job.State.DONE) {
                error(ctx, 409, "job is " + job.state().name().toLowerCase());
            } else {
                InputStream file;
                try {
                    file = Files.newInputStream(job.result().file());
                } catch (NoSuchFileException e) { // expired between the lookup and here
                    error(ctx, 404, "no such job (unknown or expired)");
                    return;
                }
                ctx.contentType(job.request().contentType()).header("Content-Disposition", "attachment; filename=\"shiftsr-"
                        + job.id() + "." + job.request().format() + "\"").result(file);
            }
        });
        app.exception(Exception.class, (e, ctx) -> error(ctx, 500, "internal error: " + e.getClass().getSimpleName()));
    }

    private void getAndHead(String path, io.javalin.http.Handler handler) {
        app.get(path, handler);
        app.head(path, ctx -> {
            handler.handle(ctx);
            // The body the GET would send is measured here and dropped (Jetty sends none for HEAD).
            InputStream body = ctx.resultInputStream();
            if (body != null) {
                long n;
                try (InputStream in = body) {
                    n = in.transferTo(java.io.OutputStream.nullOutputStream());
                }
                ctx.result(new byte[0]);
                ctx.header("Content-Length", Long.toString(n));
            }
        });
    }

    /** True when {@code host} is reachable from this machine only. */
    public static boolean isLoopback(String host) {
        return HostCheck.isLoopback(host);
    }

    /** Starts listening; port 0 picks a free port. Returns the port. */
    public int start(String host, int port) {
        hostCheck = HostCheck.forBind(host);
        app.start(host, port);
        return app.port();
    }

    private void submit(Context ctx) {
        if (!uploads.tryAcquire()) {
            ctx.header("Retry-After", "5");
            error(ctx, 503, "busy: " + MAX_CONCURRENT_UPLOADS + " uploads are in progress; retry later");
            return;
        }
        try {
            receive(ctx);
        } finally {
            uploads.release();
        }
    }

    private void receive(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxUploadBytes + 65536) {
            error(ctx, 413, "upload larger than " + maxUploadBytes / (1 << 20) + " MB");
            return;
        }
        if (ctx.contentType() == null || !ctx.contentType().startsWith("multipart/form-data")) {
            error(ctx, 400, "send multipart/form-data with an 'image' file");
            return;
        }
        UploadedFile file;
        try {
            file = ctx.uploadedFile("image");
        } catch (Exception e) { // the container's multipart parser: its limits, or a malformed body
            String why = String.valueOf(rootMessage(e)).toLowerCase(java.util.Locale.ROOT);
            if (why.contains("too many")) {
                error(ctx, 413, "form has too many parts");
            } else if (why.contains("timeout") || why.contains("data rate") || why.contains("early eof")
                    || why.contains("eofexception")) {
                error(ctx, 408, "the upload arrived too slowly or stopped (at least "
                        + MIN_UPLOAD_BYTES_PER_S / 1024 + " KB/s, no pause over " + IDLE_TIMEOUT_MS / 1000 + " s)");
            } else if (why.contains("header") || why.contains("field")) {
                error(ctx, 400, "a form part's headers are too long (a file name of more than a few KB?)");
            } else if (why.contains("exceed") || why.contains("too large") || why.contains("max")) {
                error(ctx, 413, "upload larger than " + maxUploadBytes / (1 << 20) + " MB");
            } else {
                error(ctx, 400, "malformed multipart/form-data body");
            }
            return;
        }
        if (file == null) {
            error(ctx, 400, "no 'image' file in the form");
            return;
        }
        byte[] bytes;
        try (InputStream in = file.content()) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxUploadBytes + 1));
        } catch (IOException e) {
            error(ctx, 400, "could not read the upload");
            return;
        }
        if (bytes.length > maxUploadBytes) {
            error(ctx, 413, "upload larger than " + maxUploadBytes / (1 << 20) + " MB");
            return;
        }
        String ext = io.shiftsr.image.ImageFormats.sniff(bytes);
        if (ext == null) {
            error(ctx, 415, "not a " + io.shiftsr.image.ImageFormats.NAMES + " image (checked from its content)");
            return;
        }
        JobRequest request;
        try {
            request = new JobRequest(number(ctx, "scale", 4), text(ctx, "process", "deltadiff"),
                    wholeNumber(ctx, "steps", 0), wholeNumber(ctx, "ensemble", 0), text(ctx, "format", "png"),
                    text(ctx, "denoise", "auto"));
            runner.check(request);
        } catch (IllegalArgumentException e) {
            error(ctx, 400, e.getMessage());
            return;
        }
        try {
            Job job = queue.submit(request, bytes, ext);
            ctx.header("Location", "/api/jobs/" + job.id());
            json(ctx, 202, describe(job));
        } catch (JobQueue.Full e) {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            if (e.getMessage().contains("disk")) {
                error(ctx, 507, "busy: stored results have reached the disk cap; retry when older jobs expire");
            } else {
                error(ctx, 429, "busy: " + queueCapacity + " jobs are waiting; retry later");
            }
        }
    }

    /**
     * The request's method as sent, for messages: Javalin names every method it does not know INVALID. Only
     * letters (RFC 9110 tokens are letters in practice), at most 20, so a message never carries odd bytes.
     */
    private static String methodName(Context ctx) {
        String m = ctx.req().getMethod();
        if (m == null || m.isEmpty()) {
            return "(none)";
        }
        String clean = m.replaceAll("[^A-Za-z0-9_-]", "?");
        return clean.length() > 20 ? clean.substring(0, 20) + "..." : clean;
    }

    private static String rootMessage(Throwable e) {
        String m = e.getMessage();
        for (Throwable c = e.getCause(); c != null && c != e; c = c.getCause()) {
            if (c.getMessage() != null) {
                m = m + " " + c.getMessage();
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return m;
    }

    private static double number(Context ctx, String field, double fallback) {
        String v = ctx.formParam(field);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " must be a number");
        }
    }

    /** A form field that must be a whole number (within +-1000, so the int cast cannot wrap). */
    private static int wholeNumber(Context ctx, String field, int fallback) {
        double v = number(ctx, field, fallback);
        if (v != Math.rint(v) || Math.abs(v) > 1000) {
            throw new IllegalArgumentException(field + " must be a whole number");
        }
        return (int) v;
    }

    private static String text(Context ctx, String field, String fallback) {
        String v = ctx.formParam(field);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    static Map<String, Object> describe(Job job) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", job.id());
        m.put("state", job.state().name().toLowerCase());
        m.put("progress", job.progress());
        m.put("scale", job.request().scale());
        m.put("process", job.request().process());
        m.put("steps", job.request().steps());
        m.put("ensemble", job.request().ensemble());
        m.put("format", job.request().format());
        m.put("denoise", job.request().denoise());
        if (job.error() != null) {
            m.put("error", job.error());
        }
        if (job.result() != null) {
            m.put("width", job.result().width());
            m.put("height", job.result().height());
            m.put("result", "/api/jobs/" + job.id() + "/result");
            if (job.result().told() != null) {
                m.put("denoiseRead", job.result().told().fields());
            }
        }
        return m;
    }

    private static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void error(Context ctx, int status, String message) {
        json(ctx, status, Map.of("error", message));
    }

    private static String resource(String name) {
        try (InputStream in = WebServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        app.stop();
        queue.close();
    }
}
