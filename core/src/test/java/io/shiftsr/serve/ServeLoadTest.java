package io.shiftsr.serve;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * 50 simultaneous submissions on loopback against a queue of 8: every request is answered (202 queued, 429 queue
 * full or 503 too many uploads at once, nothing else), and every queued job finishes with a result: nothing is lost.
 */
class ServeLoadTest {
    @Test
    void fiftyConcurrentSubmissionsAreAllAnsweredAndNoJobIsLost() throws Exception {
        try (ServeFixture s = new ServeFixture(null, 8, 1 << 20, Duration.ofMinutes(5))) {
            ExecutorService pool = Executors.newFixedThreadPool(50);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                answers.add(pool.submit(() -> s.submit(ServeApiTest.PNG, "p.png", Map.of("steps", "1"))));
            }
            int accepted = 0, refused = 0;
            List<String> ids = new ArrayList<>();
            for (Future<HttpResponse<String>> f : answers) {
                HttpResponse<String> r = f.get();
                if (r.statusCode() == 202) {
                    accepted++;
                    ids.add(ServeApiTest.json(r).get("id").asText());
                } else {
                    assertTrue(r.statusCode() == 429 || r.statusCode() == 503, r.statusCode() + " " + r.body());
                    assertTrue(r.headers().firstValue("Retry-After").isPresent());
                    refused++;
                }
            }
            pool.shutdown();
            assertEquals(50, accepted + refused);
            assertTrue(accepted >= 9, "at least one running and 8 waiting were accepted: " + accepted);
            for (String id : ids) {
                JsonNode j = ServeApiTest.await(s, id);
                assertEquals("done", j.get("state").asText(), j.toString());
                assertEquals(200, s.getBytes("/api/jobs/" + id + "/result").statusCode());
            }
        }
    }
}
