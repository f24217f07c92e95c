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
 * Reading and writing image files. Reading goes through ImageIO with the TwelveMonkeys plugins (JPEG incl.
 * CMYK, BMP, WebP) and the JDK's PNG reader; the format is sniffed from the content, never taken from the
 * extension. Every failure is an {@link ImageException} with a one-line message naming the file.
 */
public final class ImageFiles {
    /** Default limit on decoded pixels (width * height): 100 MP, about 1.2 GB as float RGB. */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

    /** File name extensions taken from folders (lower case). */
    public static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "webp");

    private static final Set<String> READ_FORMATS = Set.of("png", "jpeg", "bmp", "webp");
    private static final String SUPPORTED = "PNG, JPEG, BMP, WebP";
    private static final float JPEG_QUALITY = 0.95f;

    static {
        ImageIO.setUseCache(false); // no temp files from ImageIO streams; everything here fits in memory
        ImageIO.scanForPlugins();
    }

    private ImageFiles() {
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

    private static void checkReadableFile(Path path, String name) {
        if (Files.isDirectory(path)) {
            throw new ImageException(name + ": is a folder, not an image file");
        }
        long size;
        try {
            size = Files.size(path);
        } catch (NoSuchFileException e) {
            throw new ImageException(name + ": no such file");
        } catch (IOException e) {
            throw new ImageException(ImageException.Kind.IO_ERROR, name + ": cannot read (" + e.getMessage() + ")", e);
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
                if (READ_FORMATS.contains(r.getFormatName().toLowerCase(Locale.ROOT))) {
                    return r;
                }
            } catch (IOException e) {
                // fall through to the next reader
            }
            r.dispose();
        }
        throw new ImageException(name + ": not a supported image (" + SUPPORTED + ")");
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

    /**
     * Writes PNG (gray stays gray, alpha kept, 16-bit when the source was) or JPEG (quality 95, alpha
     * dropped), chosen by the extension; atomically (temp file + rename), so a failed write leaves nothing.
     */
    public static void write(Image img, Path path) {
        String name = path.toString();
        String ext = extension(path);
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
        if (!extension(path).equals("png")) {
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

    /** Lower-case extension without the dot ("" when none). */
    public static String extension(Path path) {
        String n = path.getFileName() == null ? "" : path.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** File name without its extension: the key that pairs SR and HR files and names outputs. */
    public static String baseName(Path path) {
        String n = path.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot <= 0 ? n : n.substring(0, dot);
    }

    /**
     * Expands command-line inputs: files as given, folders to their image files (png/jpg/jpeg/bmp/webp, any
     * case, not recursive), glob patterns ({@code data/*.png}, {@code **}) to the files they match. Returns
     * a sorted list without duplicates. A missing path, a pattern without matches or an image-less folder
     * is an error.
     */
    public static List<Path> listInputs(List<String> args) {
        TreeSet<Path> out = new TreeSet<>();
        for (String arg : args) {
            Path p = tryPath(arg);
            if (p != null && Files.isDirectory(p)) {
                int before = out.size();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                    for (Path f : ds) {
                        if (Files.isRegularFile(f) && IMAGE_EXTENSIONS.contains(extension(f))) {
                            out.add(f);
                        }
                    }
                } catch (IOException e) {
                    throw new ImageException(ImageException.Kind.IO_ERROR, arg + ": cannot list folder ("
                            + e.getMessage() + ")", e);
                }
                if (out.size() == before) {
                    throw new ImageException(arg + ": no image files (png, jpg, jpeg, bmp, webp) in this folder");
                }
            } else if (p != null && Files.exists(p)) {
                out.add(p);
            } else if (isGlob(arg)) {
                List<Path> matches = glob(arg);
                if (matches.isEmpty()) {
                    throw new ImageException(arg + ": no files match this pattern");
                }
                out.addAll(matches);
            } else {
                throw new ImageException(arg + ": no such file or folder");
            }
        }
        return new ArrayList<>(out);
    }

    private static Path tryPath(String s) {
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static boolean isGlob(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
    }

    /** Files matching a glob: walks from the longest literal folder prefix, as deep as the pattern needs. */
    private static List<Path> glob(String pattern) {
        String sep = FileSystems.getDefault().getSeparator();
        String norm = pattern.replace(sep, "/");
        String[] parts = norm.split("/", -1);
        int literal = 0;
        while (literal < parts.length - 1 && !isGlob(parts[literal])) {
            literal++;
        }
        String prefix = String.join("/", java.util.Arrays.copyOfRange(parts, 0, literal));
        if (norm.startsWith("/") && prefix.isEmpty()) {
            prefix = "/";
        }
        boolean relative = prefix.isEmpty();
        Path walkRoot = relative ? Path.of(".") : Path.of(prefix);
        int depth = norm.contains("**") ? Integer.MAX_VALUE : parts.length - literal;
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + norm);
        if (!Files.isDirectory(walkRoot)) {
            return List.of();
        }
        List<Path> result = new ArrayList<>();
        try (Stream<Path> s = Files.walk(walkRoot, depth)) {
            s.filter(Files::isRegularFile).forEach(f -> {
                // Match against the path spelled like the pattern (no "./" prefix for relative patterns).
                Path rel = relative ? walkRoot.relativize(f) : f;
                if (matcher.matches(rel)) {
                    result.add(rel);
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ImageException(ImageException.Kind.IO_ERROR, pattern + ": cannot search ("
                    + e.getMessage() + ")", e);
        }
        return result;
    }
}
