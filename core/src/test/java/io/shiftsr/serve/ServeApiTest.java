package io.shiftsr.serve;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shiftsr.image.Image;
import io.shiftsr.image.ImageWriting;
import io.shiftsr.image.TestImages;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The JSON API of shiftsr serve on loopback, with a small random model. */
class ServeApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final byte[] PNG = ImageWriting.pngBytes(TestImages.noise(24, 16, 3, false, 1));

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    /** Polls a job until it is neither queued nor running. */
    static JsonNode await(ServeFixture s, String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            JsonNode j = json(s.get("/api/jobs/" + id));
            String state = j.get("state").asText();
            if (!state.equals("queued") && !state.equals("running")) {
                return j;
            }
            assertTrue(System.nanoTime() < deadline, "job did not finish: " + j);
            Thread.sleep(20);
        }
    }

    @Test
    void anUploadIsQueuedUpscaledAndServedAsPng() throws Exception {
        try (ServeFixture s = new ServeFixture()) {
            JsonNode info = json(s.get("/api/info"));
            assertEquals(2.0, info.get("scaleMin").asDouble());
            assertEquals(4.0, info.get("scaleMax").asDouble());
            assertEquals(1, info.get("defaultEnsemble").asInt());
            HttpResponse<String> r = s.submit(PNG, "photo.png", Map.of("scale", "3", "steps", "1", "ensemble", "2"));
            assertEquals(202, r.statusCode(), r.body());
            String id = json(r).get("id").asText();
            assertEquals("/api/jobs/" + id, r.headers().firstValue("Location").orElse(""));
            JsonNode done = await(s, id);
            assertEquals("done", done.get("state").asText(), done.toString());
            assertEquals(1.0, done.get("progress").asDouble());
            assertEquals(2, done.get("ensemble").asInt());
            assertEquals("clean", done.get("denoiseRead").get("from").asText(), done.toString());
            HttpResponse<byte[]> png = s.getBytes(done.get("result").asText());
            assertEquals(200, png.statusCode());
            assertEquals("image/png", png.headers().firstValue("Content-Type").orElse(""));
            var img = ImageIO.read(new ByteArrayInputStream(png.body()));
            assertEquals(72, img.getWidth());
            assertEquals(48, img.getHeight());
            assertTrue(s.get("/api/openapi.yaml").body().startsWith("openapi: 3"));
            assertTrue(s.get("/").body().contains("<title>ShiftSR</title>"));
        }
    }

    @Test
    void aJpegsQualityIsReadFromTheFileAndReported() throws Exception {
        java.io.ByteArrayOutputStream jpeg = new java.io.ByteArrayOutputStream();
        io.shiftsr.image.ImageWriting.write(io.shiftsr.image.ImageReading.read(java.nio.file.Path.of(
                "samples/astronaut-lr.png")), jpeg, "jpg", 40);
        try (ServeFixture s = new ServeFixture(null, 4, 1 << 20, Duration.ofMinutes(5))) {
            JsonNode done = await(s, json(s.submit(jpeg.toByteArray(), "photo.jpg", Map.of("scale", "2", "steps", "1")))
                    .get("id").asText());
            assertEquals("done", done.get("state").asText(), done.toString());
            JsonNode read = done.get("denoiseRead");
            assertEquals("jpeg-file", read.get("from").asText(), done.toString());
            assertEquals(40, read.get("quality").asInt());
            assertEquals(io.shiftsr.sr.DegradationLevel.ofJpegQuality(40), read.get("level").asDouble(), 1e-3);
            assertEquals("JPEG quality 40, read from the file", read.get("description").asText());
        }
    }

    @Test
    void resultsKeepAlphaAndSixteenBitsInTheFormatAskedFor() throws Exception {
        float[] g = new float[24 * 16];
        float[] a = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = (i * 1021 % 65536) / 65535f;
            a[i] = (i % 24) / 23f;
        }
        java.io.ByteArrayOutputStream upload = new java.io.ByteArrayOutputStream();
        io.shiftsr.image.ImageWriting.write(io.shiftsr.image.Image.of(24, 16, new float[][] {g}, a, 16), upload,
                "png", 95);
        try (ServeFixture s = new ServeFixture()) {
            assertEquals("[\"png\",\"jpg\",\"tiff\"]", json(s.get("/api/info")).get("outputFormats").toString());
            JsonNode done = await(s, json(s.submit(upload.toByteArray(), "deep.png",
                    Map.of("scale", "2", "steps", "1", "format", "tiff"))).get("id").asText());
            assertEquals("done", done.get("state").asText(), done.toString());
            HttpResponse<byte[]> tiff = s.getBytes(done.get("result").asText());
            assertEquals("image/tiff", tiff.headers().firstValue("Content-Type").orElse(""));
            assertTrue(tiff.headers().firstValue("Content-Disposition").orElse("").endsWith(".tiff\""));
            var back = io.shiftsr.image.ImageReading.read(tiff.body(), "result", 1 << 20);
            assertTrue(back.isGray() && back.hasAlpha() && back.sourceBitDepth() == 16, back.toString());
            assertEquals(48, back.width());
            assertEquals(400, s.submit(PNG, "a.png", Map.of("format", "gif")).statusCode());
        }
    }

    @Test
    void badRequestsGetOneLineJsonErrorsWithTheRightStatus() throws Exception {
        try (ServeFixture s = new ServeFixture(null, 4, 64 * 1024, Duration.ofMinutes(5))) {
            byte[] text = "just text, named like an image".getBytes(StandardCharsets.UTF_8);
            assertEquals(415, s.submit(text, "photo.png", Map.of()).statusCode(), "content is sniffed, not the name");
            assertEquals(202, s.submit(PNG, "notes.txt", Map.of("steps", "1")).statusCode(), "a PNG by any name");
            assertEquals(400, s.submit(null, null, Map.of("scale", "4")).statusCode());
            assertEquals(400, s.submit(PNG, "a.png", Map.of("scale", "5")).statusCode());
            assertEquals(400, s.submit(PNG, "a.png", Map.of("scale", "four")).statusCode());
            assertEquals(400, s.submit(PNG, "a.png", Map.of("process", "magic")).statusCode());
            HttpResponse<String> badSteps = s.submit(PNG, "a.png", Map.of("steps", "99"));
            assertEquals(400, badSteps.statusCode());
            assertTrue(json(badSteps).get("error").asText().endsWith("for this model (0: the model's default)"),
                    badSteps.body());
            HttpResponse<String> negative = s.submit(PNG, "a.png", Map.of("ensemble", "-2"));
            assertEquals(400, negative.statusCode(), "a negative ensemble is refused, not taken as the default");
            assertEquals("steps and ensemble must be >= 0 (0: the model's default)",
                    json(negative).get("error").asText());
            HttpResponse<String> badEnsemble = s.submit(PNG, "a.png", Map.of("ensemble", "3"));
            assertEquals(400, badEnsemble.statusCode());
            assertTrue(json(badEnsemble).get("error").asText().contains("ensemble must be 1, 2, 4 or 8"));
            HttpResponse<String> badDenoise = s.submit(PNG, "a.png", Map.of("denoise", "max"));
            assertEquals(400, badDenoise.statusCode());
            // the denoise choices are words: no hint about 0 meaning the default (it was appended before)
            assertEquals("denoise must be auto, off, low, medium or high, got 'max'",
                    json(badDenoise).get("error").asText());
            HttpResponse<String> denoised = s.submit(PNG, "a.png", Map.of("denoise", "high", "steps", "1"));
            assertEquals(202, denoised.statusCode(), denoised.body());
            assertEquals("high", json(denoised).get("denoise").asText());
            JsonNode chosen = await(s, json(denoised).get("id").asText()).get("denoiseRead");
            assertEquals("chosen", chosen.get("from").asText(), chosen.toString());
            assertEquals(40, chosen.get("quality").asInt());
            byte[] big = new byte[100 * 1024];
            System.arraycopy(PNG, 0, big, 0, PNG.length);
            HttpResponse<String> tooBig = s.submit(big, "big.png", Map.of());
            assertEquals(413, tooBig.statusCode(), tooBig.body());
            assertTrue(json(tooBig).get("error").asText().contains("larger than"));
            assertEquals(404, s.get("/api/jobs/no-such-job").statusCode());
            assertEquals(404, s.get("/api/jobs/..%2F..%2Fetc%2Fpasswd").statusCode());
            assertEquals(404, s.get("/api/jobs/no-such-job/result").statusCode());
            // A corrupt PNG passes the sniffer but fails in the worker, with the reader's one-line reason.
            byte[] cut = java.util.Arrays.copyOf(PNG, PNG.length / 2);
            JsonNode failed = await(s, json(s.submit(cut, "cut.png", Map.of("steps", "1"))).get("id").asText());
            assertEquals("failed", failed.get("state").asText());
            assertTrue(failed.get("error").asText().contains("truncated or corrupt"), failed.toString());
        }
    }

    @Test
    void aFullQueueAnswers429WithRetryAfterAndResultsWaitFor409() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        JobRunner blocked = (input, output, request, progress) -> {
            release.await(30, TimeUnit.SECONDS);
            Files.write(output, PNG);
            return new Job.Result(output, 24, 16, null);
        };
        try (ServeFixture s = new ServeFixture(blocked, 2, 1 << 20, Duration.ofMinutes(5))) {
            String first = json(s.submit(PNG, "a.png", Map.of())).get("id").asText();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!json(s.get("/api/jobs/" + first)).get("state").asText().equals("running")) {
                assertTrue(System.nanoTime() < deadline);
                Thread.sleep(10);
            }
            assertEquals(409, s.get("/api/jobs/" + first + "/result").statusCode());
            assertEquals(202, s.submit(PNG, "b.png", Map.of()).statusCode());
            assertEquals(202, s.submit(PNG, "c.png", Map.of()).statusCode());
            HttpResponse<String> full = s.submit(PNG, "d.png", Map.of());
            assertEquals(429, full.statusCode(), full.body());
            assertTrue(Long.parseLong(full.headers().firstValue("Retry-After").orElse("0")) >= 1);
            release.countDown();
            assertEquals("done", await(s, first).get("state").asText());
        }
    }

    @Test
    void finishedJobsExpire() throws Exception {
        try (ServeFixture s = new ServeFixture(null, 4, 1 << 20, Duration.ofMillis(1))) {
            String id = json(s.submit(PNG, "a.png", Map.of("steps", "1"))).get("id").asText();
            assertEquals("done", await(s, id).get("state").asText());
            Path png = s.queue.get(id).orElseThrow().result().file();
            assertTrue(Files.isRegularFile(png), png.toString());
            Thread.sleep(5);
            s.queue.expire();
            assertEquals(404, s.get("/api/jobs/" + id).statusCode());
            assertEquals(404, s.get("/api/jobs/" + id + "/result").statusCode());
            assertFalse(Files.exists(png), "the result file goes with the job");
        }
    }

    @Test
    void aPortInUseIsOneLineIoError() {
        try (ServeFixture s = new ServeFixture()) {
            var err = new java.io.StringWriter();
            var cl = io.shiftsr.cli.Main.commandLine();
            cl.setErr(new java.io.PrintWriter(err, true));
            int code = cl.execute("serve", "--port", Integer.toString(s.port));
            assertEquals(4, code, err.toString());
            assertTrue(err.toString().startsWith("shiftsr: cannot listen on 127.0.0.1:" + s.port), err.toString());
            assertEquals(1, err.toString().strip().lines().count(), err.toString());
        }
    }

    @Test
    void theServerListensOnLoopbackUnlessToldOtherwise() {
        var spec = new picocli.CommandLine(new io.shiftsr.cli.Main()).getSubcommands().get("serve").getCommandSpec();
        assertEquals("127.0.0.1", spec.findOption("--host").defaultValue());
    }
}
