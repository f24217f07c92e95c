package io.shiftsr.serve;

import io.shiftsr.io.OneLine;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which Host and Origin headers the web app answers. Bound to loopback (the default), only loopback names are
 * accepted as Host, so a DNS-rebinding page cannot reach it under a name of its own; bound to one address,
 * that address too; bound to all interfaces (0.0.0.0, ::), any Host. In every case a request that carries an
 * Origin must come from the page this server serves (same host and port as its Host header): any other site's
 * page is refused, which is what stops cross-site request forgery from a page the user happens to visit.
 */
final class HostCheck {
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "[::1]");
    /** 127.0.0.0/8 as a dotted quad; nothing else that starts with "127." (127.0.0.1.evil.example is a DNS name). */
    private static final Pattern LOOPBACK_V4 = Pattern.compile("127(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern PORT = Pattern.compile(":[0-9]{1,5}");
    private final String boundHost; // null: any Host accepted

    private HostCheck(String boundHost) {
        this.boundHost = boundHost;
    }

    static HostCheck forBind(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("0.0.0.0") || h.equals("::") || h.equals("[::]") || h.isEmpty()) {
            return new HostCheck(null);
        }
        return new HostCheck(bracketed(h));
    }

    /** True for addresses that only this machine can reach: localhost, [::1] and literal 127.x.y.z. */
    static boolean isLoopback(String host) {
        String h = bracketed(host.toLowerCase(Locale.ROOT));
        return LOOPBACK_NAMES.contains(h) || LOOPBACK_V4.matcher(h).matches();
    }

    /** Why the request is refused, or null when it may go on. */
    String refusal(String hostHeader, String origin) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return "missing Host header";
        }
        String host = hostOf(hostHeader);
        if (host == null) {
            return "malformed Host header (not name[:port])";
        }
        if (boundHost != null && !isLoopback(host) && !host.equals(boundHost)) {
            // header values are quoted escaped and shortened: the answer stays one line however the header was
            // forged (found by HostCheckFuzzTest)
            return "Host '" + OneLine.shortened(host, 100) + "' is not this server's (it answers "
                    + (isLoopback(boundHost) ? "loopback names only" : boundHost + " and loopback names") + ")";
        }
        if (origin != null) {
            String o;
            try {
                URI u = URI.create(origin.trim());
                o = u.getScheme() == null || u.getRawAuthority() == null ? null
                        : u.getRawAuthority().toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException e) {
                o = null;
            }
            if (o == null || !o.equals(hostHeader.trim().toLowerCase(Locale.ROOT))) {
                return "cross-origin request refused (Origin " + OneLine.shortened(origin, 100) + ")";
            }
        }
        return null;
    }

    /** "name:port" or "[v6]:port" to the name, lower case; null when what follows the name is not ":digits". */
    private static String hostOf(String hostHeader) {
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        int end;
        if (h.startsWith("[")) {
            end = h.indexOf(']') + 1;
            if (end == 0) {
                return null;
            }
        } else {
            int colon = h.lastIndexOf(':');
            end = colon < 0 ? h.length() : colon;
            if (h.substring(0, end).indexOf(':') >= 0) {
                return null; // an IPv6 address in Host must be in brackets (RFC 3986); "::1:1" is no host[:port]
            }
        }
        String port = h.substring(end);
        return port.isEmpty() || PORT.matcher(port).matches() ? h.substring(0, end) : null;
    }

    private static String bracketed(String h) {
        return h.startsWith("[") && h.endsWith("]") ? h : h.contains(":") ? "[" + h + "]" : h;
    }
}
