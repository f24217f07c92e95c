package io.shiftsr.serve;

/**
 * What a user asked for: scale, process (deltadiff, resshift or bicubic), step count and output format (png, jpg
 * or tiff, ImageFormats.OUTPUTS).
 */
public record JobRequest(double scale, String process, int steps, String format) {
    public JobRequest(double scale, String process, int steps) {
        this(scale, process, steps, "png");
    }

    /** The result's MIME type. */
    public String contentType() {
        return switch (format) {
            case "jpg" -> "image/jpeg";
            case "tiff" -> "image/tiff";
            default -> "image/png";
        };
    }
}
