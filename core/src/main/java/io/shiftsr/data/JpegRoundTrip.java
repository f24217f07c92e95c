package io.shiftsr.data;

import io.shiftsr.image.Image;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * JPEG compression as a degradation: the image rounded to 8 bits, encoded in memory by the JDK's ImageIO JPEG
 * writer (IJG libjpeg 6b: baseline, YCbCr 4:2:0, the IJG tables scaled by quality as libjpeg's
 * {@code jpeg_set_quality}), and decoded again by its reader. No files, no metadata: the pixels only.
 */
final class JpegRoundTrip {
    private JpegRoundTrip() {
    }

    static Image compress(Image x, int quality) {
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("JPEG quality must be 1-100, got " + quality);
        }
        int w = x.width(), h = x.height();
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] px = x.packedRgb8(true);
        System.arraycopy(px, 0, ((DataBufferByte) bi.getRaster().getDataBuffer()).getData(), 0, px.length);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(w * h);
        ImageWriter writer = jdk(ImageIO.getImageWritersByFormatName("jpeg"));
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f); // the JDK maps this to IJG quality as libjpeg does
            writer.setOutput(out);
            writer.write(null, new IIOImage(bi, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        BufferedImage back;
        ImageReader reader = jdk(ImageIO.getImageReadersByFormatName("jpeg"));
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            reader.setInput(in);
            back = reader.read(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            reader.dispose();
        }
        float[][] planes = new float[3][w * h];
        if (back.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            byte[] dec = ((DataBufferByte) back.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < w * h; i++) {
                planes[2][i] = (dec[3 * i] & 0xFF) / 255f;
                planes[1][i] = (dec[3 * i + 1] & 0xFF) / 255f;
                planes[0][i] = (dec[3 * i + 2] & 0xFF) / 255f;
            }
            return Image.of(w, h, planes);
        }
        for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < w; xx++) {
                int rgb = back.getRGB(xx, y);
                int i = y * w + xx;
                planes[0][i] = ((rgb >> 16) & 0xFF) / 255f;
                planes[1][i] = ((rgb >> 8) & 0xFF) / 255f;
                planes[2][i] = (rgb & 0xFF) / 255f;
            }
        }
        return Image.of(w, h, planes);
    }

    /** The JDK's own codec (com.sun.imageio), not a plugin's, so results do not depend on the classpath. */
    private static <T> T jdk(Iterator<T> codecs) {
        T first = null;
        while (codecs.hasNext()) {
            T c = codecs.next();
            if (first == null) {
                first = c;
            }
            if (c.getClass().getName().startsWith("com.sun.imageio.plugins.jpeg")) {
                return c;
            }
        }
        if (first == null) {
            throw new IllegalStateException("no JPEG codec in this Java runtime");
        }
        return first;
    }
}
