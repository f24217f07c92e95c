package io.shiftsr.cli;

/**
 * Messages on stderr are one line each, whatever the file names in them hold: a control character (a newline
 * in a name, an escape sequence) is shown escaped, as {@code \n}, {@code \t} or {@code \x1b}, never sent to the
 * terminal as it is.
 */
final class OneLine {
    private OneLine() {
    }

    static String of(String message) {
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
}
