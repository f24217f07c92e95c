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


/**
 * Reading image files. Goes through ImageIO with the TwelveMonkeys plugins (JPEG incl. CMYK, BMP, WebP) and the
 * JDK's PNG reader; the format is sniffed from the content, never taken from the extension. Every failure is an
 * {@link ImageException} with a one-line message naming the file.
 */
public final class ImageReading {
    /** Default limit on decoded pixels (width * height): 100 MP, about 1.2 GB as float RGB. */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

    static {
        ImageIO.setUseCache(false); // no temp files from ImageIO streams; everything here fits in memory
        ImageIO.scanForPlugins();
    }

    private ImageReading() {
    }

    public static Image read(Path path) {
        return read(path, DEFAULT_MAX_PIXELS);
    }

    /** Reads an image, refusing (before decoding) any whose header claims more than maxPixels pixels. */
    public static Image read(Path path, long maxPixels) {
        String name = path.toString();
        checkReadableFile(path, name);
        try (ImageInputStream in = new EndGuardedInputStream(path.toFile())) {
            ImageReader reader = pickReader(in, name);
            try {
                reader.setInput(in, true, true);
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                checkSize(reader, name, maxPixels);
                if (format.equals("webp")) {
                    WebpFrames.check(path, name, reader.getWidth(0), reader.getHeight(0));
                }
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                BufferedImage bi = reader.read(0);
                // The JPEG decoders report a cut-off file as a warning and return a half-grey image.
                for (String w : warnings) {
                    if (looksCorrupt(w)) {
                        throw new ImageException(name + ": truncated or corrupt image data (" + w.trim() + ")");
                    }
                }
                Image img = fromBuffered(bi);
                if (format.equals("jpeg")) {
                    img = Orientation.apply(img, exifOrientation(path));
                }
                return img;
            } finally {
                reader.dispose();
            }
        } catch (ImageException e) {
            throw e;
        } catch (OutOfMemoryError e) {
            throw new ImageException(name + ": not enough memory to decode (raise -Xmx or lower --max-pixels)", e);
        } catch (IOException | RuntimeException e) {
            throw new ImageException(name + ": truncated or corrupt image data", e);
        }
    }

    /** Width and height from the header alone, without decoding the pixels. */
    public static int[] dimensions(Path path) {
        String name = path.toString();
        checkReadableFile(path, name);
        try (ImageInputStream in = new EndGuardedInputStream(path.toFile())) {
            ImageReader reader = pickReader(in, name);
            try {
                reader.setInput(in, true, true);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        } catch (ImageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImageException(name + ": truncated or corrupt image data", e);
        }
    }

    private static void checkReadableFile(Path path, String name) {
        if (Files.isDirectory(path)) {
            throw new ImageException(name + ": is a folder, not an image file");
        }
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            // /dev/zero, a FIFO: reading would never end or mean nothing
            throw new ImageException(name + ": not a regular file");
        }
        long size;
        try {
            size = Files.size(path);
        } catch (NoSuchFileException e) {
            throw new ImageException(name + ": no such file");
        } catch (IOException e) {
            throw new ImageException(ImageException.Kind.IO_ERROR, name + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (size == 0 && name.startsWith("/proc/")) {
            throw new ImageException(name + ": not a regular file (a /proc entry)");
        }
        if (size == 0) {
            throw new ImageException(name + ": file is empty");
        }
        if (!Files.isReadable(path)) {
            throw new ImageException(ImageException.Kind.IO_ERROR, name + ": permission denied", null);
        }
    }

    private static ImageReader pickReader(ImageInputStream in, String name) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        while (readers.hasNext()) {
            ImageReader r = readers.next();
            try {
                if (ImageFormats.READER_NAMES.contains(r.getFormatName().toLowerCase(Locale.ROOT))) {
                    return r;
                }
            } catch (IOException e) {
                // fall through to the next reader
            }
            r.dispose();
        }
        throw new ImageException(name + ": not a supported image (" + ImageFormats.NAMES + ")");
    }

    private static void checkSize(ImageReader reader, String name, long maxPixels) throws IOException {
        long w = reader.getWidth(0);
        long h = reader.getHeight(0);
        if (w <= 0 || h <= 0) {
            throw new ImageException(name + ": bad image size " + w + "x" + h);
        }
        long pixels = w * h;
        if (pixels > maxPixels || pixels > Integer.MAX_VALUE - 8) {
            throw new ImageException(String.format(Locale.ROOT,
                    "%s: %dx%d = %.1f MP exceeds the limit of %.1f MP (raise it with --max-pixels)",
                    name, w, h, pixels / 1e6, maxPixels / 1e6));
        }
    }

    private static boolean looksCorrupt(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        return w.contains("premature") || w.contains("corrupt") || w.contains("truncat")
                || w.contains("end of") || w.contains("eof") || w.contains("bad huffman");
    }

    /** EXIF orientation of a JPEG (1 when absent or unreadable: a broken tag must not fail the read). */
    static int exifOrientation(Path path) {
        try (ImageInputStream in = ImageIO.createImageInputStream(path.toFile())) {
            List<JPEGSegment> segments = JPEGSegmentUtil.readSegments(in, JPEG.APP1, "Exif");
            for (JPEGSegment s : segments) {
                byte[] data;
                try (InputStream d = s.data()) {
                    data = d.readAllBytes();
                }
                // The identifier "Exif" is followed by two NULs; data() skips the first, skip the pad byte.
                int off = 0;
                while (off < data.length && data[off] == 0) {
                    off++;
                }
                ImageInputStream tiff = new MemoryCacheImageInputStream(
                        new java.io.ByteArrayInputStream(data, off, data.length - off));
                Directory dir = new TIFFReader().read(tiff);
                Entry e = dir.getEntryById(TIFF.TAG_ORIENTATION);
                if (e != null && e.getValue() instanceof Number n) {
                    return n.intValue();
                }
            }
        } catch (IOException | RuntimeException e) {
            // no usable EXIF: treat as upright
        }
        return 1;
    }

    /** Converts a decoded image to planes in [0, 1], keeping gray as one plane and 16-bit precision. */
    static Image fromBuffered(BufferedImage bi) {
        int w = bi.getWidth();
        int h = bi.getHeight();
        ColorModel cm = bi.getColorModel();
        Raster raster = bi.getRaster();
        int bits = 8;
        for (int s : cm.getComponentSize()) {
            bits = Math.max(bits, s);
        }
        int depth = bits > 8 ? 16 : 8;
        int colorType = cm.getColorSpace().getType();
        boolean plainModel = (cm instanceof ComponentColorModel || cm instanceof DirectColorModel)
                && !cm.isAlphaPremultiplied();

        if (plainModel && colorType == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1) {
            // Raw samples: getRGB() would run gray through a linear-to-sRGB conversion and brighten it.
            float[] g = samples(raster, 0, cm.getComponentSize(0), w, h);
            float[] a = cm.hasAlpha() ? samples(raster, 1, cm.getComponentSize(1), w, h) : null;
            return Image.of(w, h, new float[][] {g}, a, depth);
        }
        if (plainModel && cm.getColorSpace().isCS_sRGB() && cm.getNumColorComponents() == 3) {
            float[][] p = new float[3][];
            for (int c = 0; c < 3; c++) {
                p[c] = samples(raster, c, cm.getComponentSize(c), w, h);
            }
            float[] a = cm.hasAlpha() ? samples(raster, 3, cm.getComponentSize(3), w, h) : null;
            return Image.of(w, h, p, a, depth);
        }
        if (cm instanceof IndexColorModel icm && isGrayPalette(icm)) {
            float[] g = new float[w * h];
            float[] a = icm.hasAlpha() ? new float[w * h] : null;
            int[] idx = raster.getSamples(0, 0, w, h, 0, (int[]) null);
            for (int i = 0; i < idx.length; i++) {
                g[i] = icm.getRed(idx[i]) / 255f;
                if (a != null) {
                    a[i] = icm.getAlpha(idx[i]) / 255f;
                }
            }
            return Image.of(w, h, new float[][] {g}, a, 8);
        }
        // Palettes, other colour spaces (CMYK is already converted by TwelveMonkeys), premultiplied alpha:
        // let Java2D convert to 8-bit sRGB.
        int[] argb = bi.getRGB(0, 0, w, h, null, 0, w);
        float[] r = new float[w * h];
        float[] g = new float[w * h];
        float[] b = new float[w * h];
        float[] a = cm.hasAlpha() ? new float[w * h] : null;
        for (int i = 0; i < argb.length; i++) {
            int v = argb[i];
            r[i] = ((v >> 16) & 0xff) / 255f;
            g[i] = ((v >> 8) & 0xff) / 255f;
            b[i] = (v & 0xff) / 255f;
            if (a != null) {
                a[i] = (v >>> 24) / 255f;
            }
        }
        return Image.of(w, h, new float[][] {r, g, b}, a, 8);
    }

    private static boolean isGrayPalette(IndexColorModel icm) {
        for (int i = 0; i < icm.getMapSize(); i++) {
            if (icm.getRed(i) != icm.getGreen(i) || icm.getRed(i) != icm.getBlue(i)) {
                return false;
            }
        }
        return true;
    }

    private static float[] samples(Raster raster, int band, int bits, int w, int h) {
        float[] s = raster.getSamples(0, 0, w, h, band, (float[]) null);
        float scale = 1f / ((1 << bits) - 1);
        for (int i = 0; i < s.length; i++) {
            s[i] *= scale;
        }
        return s;
    }
}
