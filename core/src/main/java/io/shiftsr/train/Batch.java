package io.shiftsr.train;

/**
 * One training batch in pixels, (B, 3, P, P) row-major in [-1, 1]: the HR crops x0 and their degraded,
 * re-upsampled versions y0 (DESIGN.md section 2), and the scale each y0 was made at (crop / LR size).
 */
public record Batch(long step, int size, int crop, float[] hr, float[] y0, float[] scales) {}
