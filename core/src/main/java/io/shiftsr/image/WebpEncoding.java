package io.shiftsr.image;

import com.luciad.imageio.webp.WebP;
import com.luciad.imageio.webp.WebPEncoderOptions;

/**
 * WebP files made by libwebp (Google's encoder, through webp-imageio's JNI binding, at its default method and
 * filter settings), in memory: the degradations of training (data.WebpRoundTrip) and eval's WebP sweep. Outputs
 * are not written as WebP; reading WebP stays with TwelveMonkeys ({@link ImageReading}).
 */
public final class WebpEncoding {
    private WebpEncoding() {
    }

    /** The image rounded to 8-bit RGB (gray repeated, alpha dropped) and encoded at libwebp quality 0-100. */
    public static byte[] encode(Image x, int quality, boolean lossless) {
        if (quality < 0 || quality > 100) {
            throw new IllegalArgumentException("WebP quality must be 0-100, got " + quality);
        }
        int w = x.width(), h = x.height();
        byte[] rgb = x.packedRgb8(false);
        WebPEncoderOptions options = new WebPEncoderOptions();
        options.setLossless(lossless);
        options.setCompressionQuality(quality);
        if (!WebP.loadNativeLibrary()) {
            throw new IllegalStateException("libwebp (webp-imageio's native library) does not load on this platform");
        }
        byte[] webp = WebP.encodeRGB(options, rgb, w, h, 3 * w);
        if (webp == null || webp.length == 0) {
            throw new IllegalStateException("libwebp could not encode a " + w + "x" + h + " image");
        }
        return webp;
    }
}
