package io.shiftsr.io;

/**
 * Messages are one line each, whatever the file names or request headers in them hold: a control character (a
 * newline in a name, an escape sequence, a Unicode line or paragraph separator) is shown escaped, as {@code \n},
 * {@code \r}, {@code \t}, {@code \x1b} (below U+0100) or a backslash, u and four hex digits (U+2028, U+2029), never
 * sent to a terminal or a log as it is. The CLI's stderr and the web server's refusals both go through here.
 */
public final class OneLine {
    private OneLine() {
    }

    /** The message with every control character escaped. */
    public static String of(String message) {
        StringBuilder sb = null;
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            boolean control = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029';
            if (control && sb == null) {
                sb = new StringBuilder(message.length() + 8).append(message, 0, i);
            }
            if (sb != null) {
                if (!control) {
                    sb.append(c);
                } else if (c == '\n') {
                    sb.append("\\n");
                } else if (c == '\r') {
                    sb.append("\\r");
                } else if (c == '\t') {
                    sb.append("\\t");
                } else {
                    sb.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
                }
            }
        }
        return sb == null ? message : sb.toString();
    }

    /**
     * A value from outside (a header, a name) as a message quotes it: its first {@code maxChars} characters
     * escaped as {@link #of} does, and "..." after them when it was longer. A surrogate pair is never cut in two.
     */
    public static String shortened(String value, int maxChars) {
        if (value.length() <= maxChars) {
            return of(value);
        }
        int end = Character.isHighSurrogate(value.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
        return of(value.substring(0, end)) + "...";
    }
}
