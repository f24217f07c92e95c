package io.shiftsr.serve;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The second outside probe's web app findings: each answer says what happened, with the right code. */
class ServeProbeTest {
    /** A whole raw HTTP/1.1 exchange (Connection: close): status line, headers and body. */
    static String exchange(int port, String request, long stallMillis) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream o = s.getOutputStream();
            o.write(request.getBytes(StandardCharsets.ISO_8859_1));
            o.flush();
            if (stallMillis > 0) {
                Thread.sleep(stallMillis);
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try {
                in.transferTo(got);
            } catch (java.net.SocketException e) {
                // the server may reset after answering; what arrived is the answer
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    static String header(String response, String name) {
        for (String line : response.split("\r\n")) {
            if (line.isEmpty()) {
                break;
            }
            if (line.toLowerCase().startsWith(name.toLowerCase() + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }

    static String body(String response) {
        int i = response.indexOf("\r\n\r\n");
        return i < 0 ? "" : response.substring(i + 4);
    }

    @Test
    void anUnknownMethodIsNamedAsSent() throws Exception {
        try (ServeFixture s = new ServeFixture()) {
            String r = exchange(s.port, "FROB /api/info HTTP/1.1\r\nHost: 127.0.0.1:" + s.port
                    + "\r\nConnection: close\r\n\r\n", 0);
            assertTrue(r.contains("method FROB"), r);
            assertFalse(r.contains("INVALID"), r);
        }
    }

    @Test
    void headAnswersWhatGetWouldWithoutTheBody() throws Exception {
        try (ServeFixture s = new ServeFixture()) {
            for (String path : List.of("/", "/api/openapi.yaml", "/api/info")) {
                String get = exchange(s.port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + s.port
                        + "\r\nConnection: close\r\n\r\n", 0);
                String head = exchange(s.port, "HEAD " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + s.port
                        + "\r\nConnection: close\r\n\r\n", 0);
                assertEquals(200, ServeHardeningTest.status(head), head);
                assertEquals(header(get, "Content-Type"), header(head, "Content-Type"), path + ": " + head);
                assertEquals(String.valueOf(body(get).getBytes(StandardCharsets.ISO_8859_1).length),
                        header(head, "Content-Length"), path + ": " + head);
                assertEquals("", body(head), path);
            }
        }
    }

    @Test
    void aLongFileNameIsNotCalledALargeUpload() throws Exception {
        try (ServeFixture s = new ServeFixture()) {
            String name = "a".repeat(200_000) + ".png";
            var r = s.submit(ServeApiTest.PNG, name, Map.of());
            assertFalse(r.body().contains("larger than"), r.body());
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(r.body().contains("headers are too long"), r.body());
        }
    }

    @Test
    void aStalledUploadIsCalledSlowNotMalformed() throws Exception {
        try (ServeFixture s = new ServeFixture()) {
            String start = "--abc\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n\r\n";
            String r = exchange(s.port, "POST /api/jobs HTTP/1.1\r\nHost: 127.0.0.1:" + s.port
                    + "\r\nContent-Type: multipart/form-data; boundary=abc\r\nContent-Length: 100000\r\n"
                    + "Connection: close\r\n\r\n" + start, 0);
            assertFalse(r.isEmpty(), "the server answers before it closes");
            assertFalse(body(r).contains("malformed"), r);
            assertEquals(408, ServeHardeningTest.status(r), r);
            assertTrue(body(r).contains("too slowly"), r);
        }
    }

    @Test
    void hostCheckFindingsOfItsFuzzer() {
        HostCheck loopback = HostCheck.forBind("127.0.0.1");
        // An IPv6 address in Host must be bracketed: "::1:1" is no name[:port], and not taken for [::1] port 1.
        assertNotNull(loopback.refusal("::1:1", null));
        assertNull(loopback.refusal("[::1]:1", null));
        // A forged Host or Origin is shown escaped, on one line, as the CLI shows names (io.OneLine); U+2028 was
        // shown as \x28, its low byte, before the two shared one escaper.
        String r = loopback.refusal("evil\nexample", null);
        assertTrue(r != null && !r.contains("\n") && r.contains("evil\\nexample"), r);
        assertEquals("Host 'evil\\u2028x.example' is not this server's (it answers loopback names only)",
                loopback.refusal("evil\u2028x.example", null));
        // and shortened to its first 100 characters
        assertEquals("Host '" + "a".repeat(100) + "...' is not this server's (it answers loopback names only)",
                loopback.refusal("a".repeat(300), null));
        String o = loopback.refusal("127.0.0.1:8080", "http://evil\r\n.example");
        assertTrue(o != null && !o.contains("\n") && !o.contains("\r"), o);
    }

    @Test
    void theOpenApiDocumentListsEveryAnswerTheServerGives() throws Exception {
        try (ServeFixture s = new ServeFixture()) {
            JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(s.get("/api/openapi.yaml").body());
            JsonNode paths = doc.get("paths");
            for (var it = paths.fields(); it.hasNext(); ) {
                var path = it.next();
                for (var ops = path.getValue().fields(); ops.hasNext(); ) {
                    var op = ops.next();
                    JsonNode responses = op.getValue().get("responses");
                    for (String code : List.of("403", "405")) {
                        assertTrue(responses.has(code), op.getKey() + " " + path.getKey() + " lacks " + code);
                    }
                }
            }
            JsonNode post = paths.get("/api/jobs").get("post").get("responses");
            for (String code : List.of("202", "400", "403", "405", "408", "413", "415", "429", "503", "507")) {
                assertTrue(post.has(code), "POST /api/jobs lacks " + code);
            }
        }
    }
}
