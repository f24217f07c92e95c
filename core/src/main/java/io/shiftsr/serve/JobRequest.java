package io.shiftsr.serve;

/**
 * What a user asked for: scale, process (deltadiff, resshift or bicubic), step count, self-ensemble members (1, 2,
 * 4 or 8; 0 = the model's default), output format (png, jpg or tiff, ImageFormats.OUTPUTS) and how much
 * compression and noise to remove (auto, off, low, medium, high: sr.Denoise).
 */
public record JobRequest(double scale, String process, int steps, int ensemble, String format, String denoise) {
    public JobRequest(double scale, String process, int steps) {
        this(scale, process, steps, 0, "png", "auto");
    }

    public JobRequest(double scale, String process, int steps, int ensemble, String format) {
        this(scale, process, steps, ensemble, format, "auto");
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
