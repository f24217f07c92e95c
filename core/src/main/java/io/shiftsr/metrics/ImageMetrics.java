package io.shiftsr.metrics;

import io.shiftsr.image.Image;

/** The per-image scores of the evaluation protocol (DESIGN.md section 7). */
public record ImageMetrics(double psnrY, double ssimY, double psnrRgb) {

    /** Scores SR against HR (same size) with {@code border} pixels cropped on each side. */
    public static ImageMetrics of(Image sr, Image hr, int border) {
        return new ImageMetrics(Psnr.y(sr, hr, border), Ssim.y(sr, hr, border), Psnr.rgb(sr, hr, border));
    }
}
