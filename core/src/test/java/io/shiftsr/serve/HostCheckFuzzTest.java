package io.shiftsr.serve;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Any Host and Origin headers against a server bound to loopback: accepted only when the Host is a literal
 * loopback address (127.x.y.z, [::1]) or localhost, with an optional port, and the Origin, when present, names
 * that same host and port; never an exception. The oracle is written apart from HostCheck's own parsing.
 */
class HostCheckFuzzTest {
    private static final HostCheck LOOPBACK = HostCheck.forBind("127.0.0.1");
    private static final Pattern OCTET = Pattern.compile("25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9]");

    @FuzzTest(maxDuration = "20s")
    void refusesEveryForeignHost(FuzzedDataProvider data) {
        String host = data.consumeBoolean() ? data.consumeString(80) : seedHost(data);
        String origin = data.consumeBoolean() ? null
                : data.consumeBoolean() ? "http://" + host : data.consumeRemainingAsString();
        String refusal = LOOPBACK.refusal(host, origin);
        if (refusal != null) {
            if (refusal.contains("\n")) {
                throw new IllegalStateException("refusal is not one line: " + refusal);
            }
            return;
        }
        if (!loopbackWithPort(host.trim().toLowerCase(Locale.ROOT))) {
            throw new IllegalStateException("accepted a foreign Host: '" + host + "'");
        }
        if (origin != null && !origin.trim().toLowerCase(Locale.ROOT).matches("[a-z][a-z0-9+.-]*://"
                + Pattern.quote(host.trim().toLowerCase(Locale.ROOT)) + "([/?#].*)?")) {
            throw new IllegalStateException("accepted Origin '" + origin + "' for Host '" + host + "'");
        }
    }

    /** Hosts near the edge: loopback-looking names with suffixes, ports and odd brackets. */
    private static String seedHost(FuzzedDataProvider data) {
        String[] bases = {"127.0.0.1", "localhost", "[::1]", "127.0.0.1.evil.example", "127.1", "0x7f.0.0.1",
                "localhost.evil", "[::1", "::1", "127.0.0.256", "127.000.0.1"};
        String h = bases[data.consumeInt(0, bases.length - 1)];
        return h + (data.consumeBoolean() ? ":" + data.consumeString(6) : "") + data.consumeString(8);
    }

    /** The accepted forms, spelled out: name, then nothing or ":" and 1-5 digits. */
    private static boolean loopbackWithPort(String h) {
        String name = h.replaceFirst(":[0-9]{1,5}$", "");
        if (name.equals("localhost") || name.equals("[::1]")) {
            return true;
        }
        String[] parts = name.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String p : parts) {
            if (!OCTET.matcher(p).matches()) {
                return false;
            }
        }
        return true;
    }
}
