package io.shiftsr.weights;

/**
 * Refusal to read or write a weights file. The message is always a single line
 * ("file: first problem") so it can go straight into a CLI error or a log line.
 */
public class WeightsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WeightsException(String message) {
        super(oneLine(message));
    }

    public WeightsException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    // Safety net: nested messages (e.g. from Jackson or the OS) may contain line breaks.
    private static String oneLine(String message) {
        return message == null ? null : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    /** Quotes a tensor name for a message: control characters escaped, very long names cut. */
    static String quote(String name) {
        StringBuilder sb = new StringBuilder(Math.min(name.length(), 200) + 2).append('\'');
        for (int i = 0; i < name.length(); i++) {
            if (i == 200) {
                sb.append("...");
                break;
            }
            char c = name.charAt(i);
            if (Character.isISOControl(c)) {
                sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('\'').toString();
    }
}
