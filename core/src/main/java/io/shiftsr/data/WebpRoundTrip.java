package io.shiftsr.data;

import com.luciad.imageio.webp.WebP;
import com.luciad.imageio.webp.WebPEncoderOptions;
import io.shiftsr.image.Image;
import io.shiftsr.image.ImageReading;

/**
 * Lossy WebP as a degradation: the image rounded to 8 bits, encoded in memory by libwebp (Google's encoder, through
 * webp-imageio's JNI binding, at its default method and filter settings and the given quality) and decoded again
 * by the reader upscaling uses for WebP files (TwelveMonkeys). No files, no metadata: the pixels only.
 */
final class WebpRoundTrip {
    private WebpRoundTrip() {
    }

    static Image compress(Image x, int quality) {
        if (quality < 0 || quality > 100) {
            throw new IllegalArgumentException("WebP quality must be 0-100, got " + quality);
        }
        int w = x.width(), h = x.height();
        byte[] rgb = new byte[3 * w * h];
        float[] r = x.plane(0), g = x.plane(x.channels() > 1 ? 1 : 0), b = x.plane(x.channels() > 2 ? 2 : 0);
        for (int i = 0; i < w * h; i++) {
            rgb[3 * i] = (byte) Image.to8(r[i]);
            rgb[3 * i + 1] = (byte) Image.to8(g[i]);
            rgb[3 * i + 2] = (byte) Image.to8(b[i]);
        }
        WebPEncoderOptions options = new WebPEncoderOptions();
        options.setLossless(false);
        options.setCompressionQuality(quality);
        if (!WebP.loadNativeLibrary()) {
            throw new IllegalStateException("libwebp (webp-imageio's native library) does not load on this platform");
        }
        byte[] webp = WebP.encodeRGB(options, rgb, w, h, 3 * w);
        if (webp == null || webp.length == 0) {
            throw new IllegalStateException("libwebp could not encode a " + w + "x" + h + " image");
        }
        return ImageReading.read(webp, "WebP degradation", (long) w * h).toRgb();
    }
}
