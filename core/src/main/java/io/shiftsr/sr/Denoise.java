package io.shiftsr.sr;

import io.shiftsr.image.Image;
import java.util.Locale;

/**
 * How much compression and noise to remove, as users choose it ({@code --denoise}): {@code auto} reads it from
 * the input ({@link DegradationLevel#ofInput}: a JPEG's own quality, else the quality the pixels show), {@code off} treats
 * every input as clean (the behaviour of the clean-input model, for benchmarks), {@code low}, {@code medium}
 * and {@code high} treat it as a JPEG of quality 90, 70 and 40. A model without the degradation embedding
 * ignores it.
 */
public enum Denoise {
    AUTO(-1), OFF(0), LOW(90), MEDIUM(70), HIGH(40);

    private final int quality;

    Denoise(int quality) {
        this.quality = quality;
    }

    /** What the model is told about {@code lr}: its degradation level, and for auto what it was read from. */
    public DegradationLevel.Reading read(Image lr) {
        return this == AUTO ? DegradationLevel.ofInput(lr)
                : DegradationLevel.Reading.ofQuality(quality, DegradationLevel.Source.CHOSEN);
    }

    /** The option's spelling: lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** auto, off, low, medium or high (any case); anything else is refused naming the choices. */
    public static Denoise parse(String s) {
        for (Denoise d : values()) {
            if (d.label().equalsIgnoreCase(s == null ? "" : s.trim())) {
                return d;
            }
        }
        throw new IllegalArgumentException("denoise must be auto, off, low, medium or high, got '" + s + "'");
    }
}
