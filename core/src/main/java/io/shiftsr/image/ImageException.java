package io.shiftsr.image;

/**
 * A bad or unreadable image file, or an output that could not be written. The message is one line that
 * names the file and the problem, e.g. {@code "cat.png: file is empty"}, so the CLI can print it as is.
 */
public class ImageException extends RuntimeException {
    private final Kind kind;

    /** Whether the input was at fault or the output/file system. The CLI maps these to exit codes 3 and 4. */
    public enum Kind { BAD_INPUT, IO_ERROR }

    public ImageException(String message) {
        this(Kind.BAD_INPUT, message, null);
    }

    public ImageException(String message, Throwable cause) {
        this(Kind.BAD_INPUT, message, cause);
    }

    public ImageException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
