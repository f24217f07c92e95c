package io.shiftsr.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class HostCheckTest {
    private static final HostCheck LOOPBACK = HostCheck.forBind("127.0.0.1");

    @Test
    void loopbackHostsPass() {
        assertNull(LOOPBACK.refusal("localhost:8080", "http://localhost:8080"));
        assertNull(LOOPBACK.refusal("127.0.0.1", null));
    }

    @Test
    void aForgedHostIsQuotedOnOneLineAndShortened() {
        assertEquals("Host 'evil\\u2028\\nx.example' is not this server's (it answers loopback names only)",
                LOOPBACK.refusal("evil\u2028\nx.example", null));
        String refusal = LOOPBACK.refusal("a".repeat(300), null);
        assertEquals("Host '" + "a".repeat(100) + "...' is not this server's (it answers loopback names only)", refusal);
    }
}
