package io.shiftsr.serve;

import io.shiftsr.inference.DiffusionUpscalerTest;
import io.shiftsr.sr.ShiftSrModel;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * A server on a free loopback port with a small random model told the degradation level (as the bundled one is),
 * and a multipart client for the tests.
 */
final class ServeFixture implements AutoCloseable {
    static final ShiftSrModel MODEL = DiffusionUpscalerTest.randomModel(DiffusionUpscalerTest.TINY_AWARE);

    final WebServer server;
    final JobQueue queue;
    final UpscaleRunner runner;
    final int port;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    ServeFixture(JobRunner work, int capacity, long maxUploadBytes, Duration ttl) {
        runner = new UpscaleRunner(io.shiftsr.ShiftSr.of(MODEL.trainedFor(new ShiftSrModel.ScaleRange(2, 4), 2),
                "random.safetensors"), 1_000_000);
        queue = new JobQueue(work == null ? runner : work, capacity, ttl);
        server = new WebServer(queue, runner, maxUploadBytes, capacity);
        port = server.start("127.0.0.1", 0);
    }

    ServeFixture() {
        this(null, 4, 1 << 20, Duration.ofMinutes(5));
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> getBytes(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** POST /api/jobs with the file as part "image" and the given text fields. */
    HttpResponse<String> submit(byte[] image, String fileName, Map<String, String> fields) throws Exception {
        String boundary = "----shiftsr" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> f : fields.entrySet()) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n"
                    + f.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        if (image != null) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"" + fileName
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(image);
            body.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest req = HttpRequest.newBuilder(URI.create(url("/api/jobs")))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.close();
    }
}
