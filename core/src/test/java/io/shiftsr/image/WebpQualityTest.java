package io.shiftsr.image;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The quality of a lossy WebP read back from its VP8 header, against files made by libwebp itself. */
class WebpQualityTest {
    static byte[] webp(Image img, int q, boolean lossless) {
        return WebpEncoding.encode(img, q, lossless);
    }

    @Test
    void libwebpQualitiesAreReadBackWithinTwoPoints() {
        StringBuilder seen = new StringBuilder();
        for (int q : new int[] {10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 95, 100}) {
            int est = WebpQuality.estimate(webp(JpegQualityTest.PHOTO, q, false));
            seen.append(q).append("->").append(est).append(' ');
            assertTrue(Math.abs(est - q) <= 2, seen.toString());
        }
    }

    @Test
    void theMappingInvertsLibwebpsOwn() {
        for (int q = 0; q <= 100; q++) {
            double qq = q / 100.0;
            double linear = qq < 0.75 ? qq * 2 / 3 : 2 * qq - 1;
            int index = (int) (127 * (1 - Math.cbrt(linear))); // libwebp's VP8SetSegmentParams at e = 1
            assertTrue(Math.abs(WebpQuality.ofQuantizerIndex(index) - q) <= 3, q + " -> index " + index);
        }
    }

    @Test
    void losslessOtherFormatsAndCutFilesReadAsZero() {
        assertEquals(0, WebpQuality.estimate(webp(JpegQualityTest.PHOTO, 75, true)), "lossless (VP8L)");
        assertEquals(0, WebpQuality.estimate(JpegQualityTest.jpeg(JpegQualityTest.PHOTO, 75)));
        assertEquals(0, WebpQuality.estimate(new byte[0]));
        byte[] full = webp(JpegQualityTest.PHOTO, 60, false);
        for (int cut = 0; cut < 64 && cut < full.length; cut++) {
            int est = WebpQuality.estimate(Arrays.copyOf(full, cut));
            assertTrue(est == 0 || Math.abs(est - 60) <= 3, "cut at " + cut + " -> " + est);
        }
    }
}
