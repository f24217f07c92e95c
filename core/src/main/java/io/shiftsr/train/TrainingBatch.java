package io.shiftsr.train;

/**
 * One training batch in pixels, (B, 3, P, P) row-major in [-1, 1]: the HR crops x0 and their degraded,
 * re-upsampled versions y0 (DESIGN.md section 2), the scale each y0 was made at (crop / LR size) and the
 * degradation level the model is told for it (0: the clean bicubic LR; sr.DegradationLevel).
 */
public record TrainingBatch(long step, int size, int crop, float[] hr, float[] y0, float[] scales, float[] degradation) {
    /** A batch of clean crops (degradation level 0). */
    public TrainingBatch(long step, int size, int crop, float[] hr, float[] y0, float[] scales) {
        this(step, size, crop, hr, y0, scales, new float[size]);
    }
}
