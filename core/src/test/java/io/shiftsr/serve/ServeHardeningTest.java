package io.shiftsr.serve;

import static org.junit.jupiter.api.Assertions.*;

import io.shiftsr.image.ImageException;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the outside probe broke in serve: cross-site requests, slow bodies, error codes and leaked paths. */
class ServeHardeningTest {

    /** A raw HTTP/1.1 exchange, so the Host header can be anything (java.net.http will not send a forged one). */
    static String raw(int port, String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(15_000);
            OutputStream o = s.getOutputStream();
            o.write(request.getBytes(StandardCharsets.ISO_8859_1));
            o.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                got.write(buf, 0, n);
                if (got.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                    break; // the status line and headers are all these tests read
                }
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    static int status(String response) {
        return Integer.parseInt(response.split(" ", 3)[1]);
    }

    @Test
    void foreignHostAndOriginAreRefused() throws Exception {
        try (ServeFixture s = new ServeFixture()) {
            String own = raw(s.port, "GET /api/info HTTP/1.1\r\nHost: 127.0.0.1:" + s.port + "\r\nConnection: close\r\n\r\n");
            assertEquals(200, status(own), own);
            String local = raw(s.port, "GET /api/info HTTP/1.1\r\nHost: localhost:" + s.port + "\r\nConnection: close\r\n\r\n");
            assertEquals(200, status(local), local);
            String rebound = raw(s.port, "GET /api/info HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n");
            assertEquals(403, status(rebound), rebound);
            String csrf = raw(s.port, "POST /api/jobs HTTP/1.1\r\nHost: 127.0.0.1:" + s.port
                    + "\r\nOrigin: http://evil.example\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                    + "Content-Length: 0\r\nConnection: close\r\n\r\n");
            assertEquals(403, status(csrf), csrf);
            HttpResponse<String> sameOrigin = s.http.send(HttpRequest.newBuilder(URI.create(s.url("/api/info")))
                    .header("Origin", "http://127.0.0.1:" + s.port).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, sameOrigin.statusCode());
        }
    }

    @Test
    void hostCheckFollowsTheBindAddress() {
        HostCheck loop = HostCheck.forBind("127.0.0.1");
        assertNull(loop.refusal("127.0.0.1:8080", null));
        assertNull(loop.refusal("[::1]:8080", "http://[::1]:8080"));
        assertNotNull(loop.refusal("192.168.1.5:8080", null));
        assertNotNull(loop.refusal("localhost:8080", "http://localhost:9999"));
        assertNotNull(loop.refusal("localhost:8080", "null"));
        HostCheck any = HostCheck.forBind("0.0.0.0");
        assertNull(any.refusal("photos.lan:8080", "http://photos.lan:8080"));
        assertNotNull(any.refusal("photos.lan:8080", "http://evil.example"));
        assertTrue(HostCheck.isLoopback("127.0.0.1") && HostCheck.isLoopback("::1") && !HostCheck.isLoopback("0.0.0.0"));
    }

    /** Issue 31: any Host starting with "127." passed, so a rebinding page at 127.0.0.1.evil.example got in. */
    @Test
    void onlyLiteralLoopbackAddressesCountAsLoopback() throws Exception {
        for (String ok : new String[] {"127.0.0.1", "127.1.2.254", "127.255.255.255", "localhost", "LOCALHOST", "::1",
                "[::1]"}) {
            assertTrue(HostCheck.isLoopback(ok), ok);
        }
        for (String bad : new String[] {"127.0.0.1.evil.example", "127.evil.example", "127.", "127.0.0", "127.0.0.1.",
                "127.0.0.256", "127.0.0.-1", "127.0.0.1a", "127..0.1", "128.0.0.1", "localhost.evil.example",
                "evil-localhost", "[::1].evil.example", "::2", ""}) {
            assertFalse(HostCheck.isLoopback(bad), bad);
        }
        HostCheck loop = HostCheck.forBind("127.0.0.1");
        assertNull(loop.refusal("127.0.0.1", null));
        assertNull(loop.refusal("127.3.4.5:8080", "http://127.3.4.5:8080"));
        assertNull(loop.refusal("localhost:8080", "http://localhost:8080"));
        assertNotNull(loop.refusal("127.0.0.1.evil.example:8080", "http://127.0.0.1.evil.example:8080"));
        assertNotNull(loop.refusal("127.0.0.1.evil.example", null));
        assertNotNull(loop.refusal("localhost.evil.example:8080", null));
        assertNotNull(loop.refusal("127.0.0.1:80x", null), "a port is digits only");
        assertNotNull(loop.refusal("[::1]x:8080", null));
        try (ServeFixture s = new ServeFixture()) {
            String rebound = raw(s.port, "GET /api/info HTTP/1.1\r\nHost: 127.0.0.1.evil.example:" + s.port
                    + "\r\nOrigin: http://127.0.0.1.evil.example:" + s.port + "\r\nConnection: close\r\n\r\n");
            assertEquals(403, status(rebound), rebound);
        }
    }

    @Test
    void malformedFormsAndUnknownMethodsGetTheirOwnCodes() throws Exception {
        try (ServeFixture s = new ServeFixture()) {
            HttpResponse<String> broken = s.http.send(HttpRequest.newBuilder(URI.create(s.url("/api/jobs")))
                    .header("Content-Type", "multipart/form-data; boundary=abc")
                    .POST(HttpRequest.BodyPublishers.ofString("--abc\r\nContent-Disposition: form-data; name=\"image\"\r\n"
                            + "garbage without an end")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, broken.statusCode(), broken.body());
            StringBuilder many = new StringBuilder();
            for (int i = 0; i < 15_000; i++) { // about 750 KB: within the 1 MB upload limit, far past any part limit
                many.append("--abc\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\n");
            }
            many.append("--abc--\r\n");
            HttpResponse<String> parts = s.http.send(HttpRequest.newBuilder(URI.create(s.url("/api/jobs")))
                    .header("Content-Type", "multipart/form-data; boundary=abc")
                    .POST(HttpRequest.BodyPublishers.ofString(many.toString())).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(413, parts.statusCode(), parts.body());
            assertTrue(parts.body().contains("too many parts"), "the reason is the part count: " + parts.body());
            HttpResponse<String> del = s.http.send(HttpRequest.newBuilder(URI.create(s.url("/api/info"))).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(405, del.statusCode(), del.body());
            HttpResponse<String> frac = s.submit(ServeApiTest.PNG, "a.png", Map.of("steps", "2.9"));
            assertEquals(400, frac.statusCode(), frac.body());
        }
    }

    @Test
    void slowBodiesCannotStarveTheServer() throws Exception {
        try (ServeFixture s = new ServeFixture()) {
            java.util.List<Socket> slow = new java.util.ArrayList<>();
            try {
                // More slow uploads than the server takes at once, each a header and one byte of a 100 kB body.
                for (int i = 0; i < 3 * WebServer.MAX_CONCURRENT_UPLOADS; i++) {
                    Socket c = new Socket("127.0.0.1", s.port);
                    c.getOutputStream().write(("POST /api/jobs HTTP/1.1\r\nHost: 127.0.0.1:" + s.port
                            + "\r\nContent-Type: multipart/form-data; boundary=abc\r\nContent-Length: 100000\r\n\r\n-")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    c.getOutputStream().flush();
                    slow.add(c);
                }
                long t0 = System.nanoTime();
                HttpResponse<String> info = s.get("/api/info");
                assertEquals(200, info.statusCode());
                // Answered while every stalled upload is still open, i.e. not by waiting for them to time out.
                assertTrue((System.nanoTime() - t0) / 1e6 < WebServer.IDLE_TIMEOUT_MS, "the API answers while uploads stall");
                // A body that stalls is cut off: the server closes (or answers) within its idle timeout.
                Socket first = slow.get(0);
                first.setSoTimeout((int) (3 * WebServer.IDLE_TIMEOUT_MS));
                InputStream in = first.getInputStream();
                // Drain whatever the server says before it closes: a connection the server never cut would end in
                // a SocketTimeoutException at 3x its idle timeout, failing the test (no other wall-clock bound).
                while (in.read() >= 0) {
                    // drain
                }
            } finally {
                for (Socket c : slow) {
                    c.close();
                }
            }
        }
    }

    @Test
    void aFailedJobDoesNotShowTheServersPaths() throws Exception {
        JobRunner failing = (input, output, request, progress) -> {
            throw new ImageException(input + ": truncated or corrupt image data");
        };
        try (ServeFixture s = new ServeFixture(failing, 4, 1 << 20, Duration.ofMinutes(5))) {
            HttpResponse<String> r = s.submit(ServeApiTest.PNG, "a.png", Map.of("scale", "2", "steps", "1"));
            assertEquals(202, r.statusCode(), r.body());
            var done = ServeApiTest.await(s, ServeApiTest.json(r).get("id").asText());
            String err = done.get("error").asText();
            assertFalse(err.contains(System.getProperty("java.io.tmpdir")) || err.contains("shiftsr-serve-"), err);
            assertTrue(err.contains("the upload"), err);
        }
    }

    @Test
    void storedResultsAreCapped() throws Exception {
        Path tmp = Files.createTempDirectory("cap");
        JobRunner writer = (input, output, request, progress) -> {
            Files.write(output, new byte[4096]);
            return new Job.Result(output, 1, 1, null);
        };
        JobQueue q = new JobQueue(writer, 4, Duration.ofMinutes(5), 6000);
        try {
            Job first = q.submit(new JobRequest(2, "bicubic", 1), new byte[100], "png");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (first.state() != Job.State.DONE && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            q.submit(new JobRequest(2, "bicubic", 1), new byte[100], "png");
            deadline = System.nanoTime() + 10_000_000_000L;
            while (q.storedBytes() < 8192 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            JobQueue.Full full = assertThrows(JobQueue.Full.class,
                    () -> q.submit(new JobRequest(2, "bicubic", 1), new byte[100], "png"));
            assertTrue(full.getMessage().contains("disk"), full.getMessage());
        } finally {
            q.close();
            Files.deleteIfExists(tmp);
        }
    }
}
