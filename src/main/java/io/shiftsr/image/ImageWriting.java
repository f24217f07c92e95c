package io.shiftsr.image;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import io.shiftsr.io.AtomicFiles;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;


/** Writing image files: PNG and JPEG, atomically (io.AtomicFiles), whole or streamed row by row. */
public final class ImageWriting {
    private static final float JPEG_QUALITY = 0.95f;

    static {
        ImageIO.setUseCache(false); // encode in memory: no temp files from ImageIO
    }

    private ImageWriting() {
    }

    /**
     * Writes PNG (gray stays gray, alpha kept, 16-bit when the source was) or JPEG (quality 95, alpha
     * dropped), chosen by the extension; atomically (temp file + rename), so a failed write leaves nothing.
     */
    public static void write(Image img, Path path) {
        String name = path.toString();
        String ext = InputFiles.extension(path);
        boolean png = ext.equals("png");
        boolean jpeg = ext.equals("jpg") || ext.equals("jpeg");
        if (!png && !jpeg) {
            throw new ImageException(ImageException.Kind.IO_ERROR,
                    name + ": cannot write this format (use .png or .jpg)", null);
        }
        Path parent = path.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new ImageException(ImageException.Kind.IO_ERROR, name + ": output folder does not exist", null);
        }
        BufferedImage bi = png ? toBuffered(img, img.hasAlpha(), img.sourceBitDepth() == 16)
                : toBuffered(img, false, false);
        try {
            AtomicFiles.write(path, out -> {
                ImageWriter writer = ImageIO.getImageWritersByFormatName(png ? "png" : "jpeg").next();
                try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
                    writer.setOutput(ios);
                    ImageWriteParam param = writer.getDefaultWriteParam();
                    if (jpeg) {
                        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                        param.setCompressionQuality(JPEG_QUALITY);
                    }
                    writer.write(null, new IIOImage(bi, null, null), param);
                } finally {
                    writer.dispose();
                }
            });
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new ImageException(ImageException.Kind.IO_ERROR, name + ": cannot write (" + why + ")", e);
        }
    }

    /** Produces the rows of a streamed output, top to bottom: one [0, 1] float row per channel. */
    @FunctionalInterface
    public interface RowSource {
        float[][] row(int y);
    }

    /**
     * Writes an 8-bit gray (channels 1) or RGB (3) PNG whose rows come from {@code rows} one at a time, so the
     * image never exists whole in memory; atomically, like {@link #write(Image, Path)}.
     */
    public static void writePngRows(Path path, int width, int height, int channels, RowSource rows) {
        String name = path.toString();
        if (!InputFiles.extension(path).equals("png")) {
            throw new ImageException(ImageException.Kind.IO_ERROR, name + ": streamed output must be .png", null);
        }
        RowStreamImage image = new RowStreamImage(width, height, channels, rows::row);
        try {
            AtomicFiles.write(path, out -> {
                ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
                try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
                    writer.setOutput(ios);
                    writer.write(null, new IIOImage(image, null, null), writer.getDefaultWriteParam());
                } finally {
                    writer.dispose();
                }
            });
        } catch (IOException | RuntimeException e) {
            if (e instanceof ImageException ie) {
                throw ie;
            }
            if (e instanceof IllegalArgumentException bad) { // the rows' producer refused (not an I/O problem)
                throw bad;
            }
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new ImageException(ImageException.Kind.IO_ERROR, name + ": cannot write (" + why + ")", e);
        }
    }

    /** 8-bit PNG bytes of the image, for embedding in a page (data URI). */
    public static byte[] pngBytes(Image img) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try {
            if (!ImageIO.write(toBuffered(img, false, false), "png", bytes)) {
                throw new IOException("no PNG writer");
            }
        } catch (IOException e) {
            throw new ImageException(ImageException.Kind.IO_ERROR, "cannot encode PNG: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    /** Builds an 8- or 16-bit gray/RGB (+alpha) BufferedImage from the planes, clamping and rounding. */
    static BufferedImage toBuffered(Image img, boolean withAlpha, boolean sixteen) {
        int w = img.width();
        int h = img.height();
        int ch = img.channels();
        ColorSpace cs = ColorSpace.getInstance(ch == 1 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
        int bits = sixteen ? 16 : 8;
        int[] sizes = new int[ch + (withAlpha ? 1 : 0)];
        java.util.Arrays.fill(sizes, bits);
        ColorModel cm = new ComponentColorModel(cs, sizes, withAlpha, false,
                withAlpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE,
                sixteen ? DataBuffer.TYPE_USHORT : DataBuffer.TYPE_BYTE);
        WritableRaster raster = cm.createCompatibleWritableRaster(w, h);
        int max = (1 << bits) - 1;
        int[] buf = new int[w * h];
        for (int band = 0; band < sizes.length; band++) {
            float[] p = band < ch ? img.plane(band) : img.alpha();
            for (int i = 0; i < buf.length; i++) {
                float v = p[i];
                buf[i] = !(v > 0f) ? 0 : v >= 1f ? max : (int) (v * (double) max + 0.5);
            }
            raster.setSamples(0, 0, w, h, band, buf);
        }
        return new BufferedImage(cm, raster, false, null);
    }
}
