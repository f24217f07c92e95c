package io.shiftsr.data;

import io.shiftsr.image.Image;
import io.shiftsr.image.ImageReading;
import io.shiftsr.image.WebpEncoding;

/**
 * Lossy WebP as a degradation: the image encoded in memory by libwebp ({@link WebpEncoding}) and decoded again by
 * the reader upscaling uses for WebP files (TwelveMonkeys). No files, no metadata: the pixels only.
 */
final class WebpRoundTrip {
    private WebpRoundTrip() {
    }

    static Image compress(Image x, int quality) {
        return ImageReading.read(WebpEncoding.encode(x, quality, false), "WebP degradation", (long) x.width() * x.height())
                .toRgb();
    }
}
