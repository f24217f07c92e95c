package io.shiftsr.image;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reading image files. Goes through ImageIO with the TwelveMonkeys plugins (JPEG incl. CMYK, BMP, WebP) and the
 * JDK's PNG and TIFF readers; the format is sniffed from the content, never taken from the extension. Pixels are
 * taken as stored (an RGB or gray ICC profile is kept as {@link ImageMetadata}, not applied), EXIF orientation is
 * applied once. Every failure is an {@link ImageException} with a one-line message naming the file.
 */
public final class ImageReading {
    private static final int TIFF_TAG_ICC = 34675;

    /** Default limit on decoded pixels (width * height): 100 MP, about 1.2 GB as float RGB. */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

    static {
        ImageIO.setUseCache(false); // no temp files from ImageIO streams; everything here fits in memory
        ImageIO.scanForPlugins();
        // webp-imageio is on the classpath to encode WebP degradations in training (data.WebpRoundTrip); WebP files
        // are read by TwelveMonkeys, as they were before it came: its reader and writer are taken out of ImageIO.
        javax.imageio.spi.IIORegistry registry = javax.imageio.spi.IIORegistry.getDefaultInstance();
        for (Class<?> category : java.util.List.of(javax.imageio.spi.ImageReaderSpi.class,
                javax.imageio.spi.ImageWriterSpi.class)) {
            java.util.List<Object> luciad = new java.util.ArrayList<>();
            registry.getServiceProviders(category, false).forEachRemaining(spi -> {
                if (spi.getClass().getName().startsWith("com.luciad.imageio.webp.")) {
                    luciad.add(spi);
                }
            });
            luciad.forEach(registry::deregisterServiceProvider);
        }
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
        byte[] data;
        try {
            data = Files.readAllBytes(path);
        } catch (OutOfMemoryError e) {
            throw new ImageException(name + ": not enough memory to read (raise -Xmx or lower --max-pixels)", e);
        } catch (IOException e) {
            throw new ImageException(ImageException.Kind.IO_ERROR, name + ": cannot read (" + e.getMessage() + ")", e);
        }
        return read(data, name, maxPixels);
    }

    /**
     * Reads an encoded image held in memory (an upload, a Spark binary file, a stream read whole); {@code name}
     * names it in errors. Same checks and results as reading a file.
     */
    public static Image read(byte[] data, String name, long maxPixels) {
        if (data.length == 0) {
            throw new ImageException(name + ": file is empty");
        }
        try {
            String format;
            try (ImageInputStream in = EndGuardedInputStream.of(data)) {
                ImageReader reader = pickReader(in, name);
                format = reader.getFormatName().toLowerCase(Locale.ROOT);
                reader.dispose();
            }
            ImageMetadata meta;
            byte[] decodeFrom = data;
            switch (format) {
                case "jpeg" -> {
                    // The decoder would convert an embedded profile to sRGB (clipping a wide gamut); decode the
                    // stored values from the file without its ICC segments, and keep the profile for the output.
                    JpegBlocks.JpegHead head = JpegBlocks.read(data);
                    meta = head.metadata();
                    if (meta.iccChannels() > 0 && meta.iccChannels() == head.components()) {
                        decodeFrom = head.withoutIcc(data);
                    } else { // CMYK and the like: the decoder converts to sRGB, so the profile no longer applies
                        meta = new ImageMetadata(null, meta.exif(), meta.xmp());
                    }
                    meta = meta.withCompression(new ImageMetadata.Compression(true, JpegQuality.estimate(data)));
                }
                case "png" -> meta = PngBlocks.read(data);
                case "webp" -> meta = WebpBlocks.read(data)
                        .withCompression(new ImageMetadata.Compression(WebpFrames.lossy(data), 0));
                // TIFF: profile and XMP are tags of the first directory (Java 2D's profile object re-encodes the
                // bytes, so they are taken from the file); its EXIF is a sub-directory of tags, not carried.
                case "tif", "tiff" -> meta = new ImageMetadata(Exif.ifd0Value(data, TIFF_TAG_ICC), null,
                        Exif.ifd0Value(data, ImageWriting.TIFF_TAG_XMP));
                default -> meta = ImageMetadata.NONE; // BMP
            }
            Image img;
            try (ImageInputStream in = EndGuardedInputStream.of(decodeFrom)) {
                img = decode(in, data, name, maxPixels, format);
            }
            // A TIFF's orientation (274) is a tag of the file's own first directory, not of an EXIF block: it was
            // not applied, and the output (which carries no such tag) showed the photo sideways.
            int orientation = format.startsWith("tif") ? Exif.orientation(data) : meta.orientation();
            return Orientation.apply(img, orientation).withMetadata(meta);
        } catch (ImageException e) {
            throw e;
        } catch (OutOfMemoryError e) {
            throw new ImageException(name + ": not enough memory to decode (raise -Xmx or lower --max-pixels)", e);
        } catch (IOException | RuntimeException e) {
            throw new ImageException(name + ": truncated or corrupt image data", e);
        }
    }

    private static Image decode(ImageInputStream in, byte[] data, String name, long maxPixels, String format)
            throws IOException {
        ImageReader reader = pickReader(in, name);
        try {
            reader.setInput(in, true, true);
            checkSize(reader, name, maxPixels);
            if (format.equals("webp")) {
                WebpFrames.check(data, name, reader.getWidth(0), reader.getHeight(0));
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
            try {
                return fromBuffered(bi);
            } catch (ImageException e) {
                throw new ImageException(name + ": " + e.getMessage(), e);
            }
        } finally {
            reader.dispose();
        }
    }

    /** Width and height from the header alone, without decoding the pixels. */
    public static int[] dimensions(Path path) {
        String name = path.toString();
        checkReadableFile(path, name);
        try (ImageInputStream in = EndGuardedInputStream.of(path)) {
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
        String refusal = io.shiftsr.io.RegularFiles.refusal(path, "an image file");
        if (refusal != null) {
            throw new ImageException(name + ": " + refusal);
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
        if (pixels > Integer.MAX_VALUE - 8 && maxPixels >= pixels) { // above what Java arrays hold, whatever the limit
            throw new ImageException(String.format(Locale.ROOT, "%s: %dx%d = %d pixels is more than one image can"
                    + " hold here (%d)", name, w, h, pixels, Integer.MAX_VALUE - 8));
        }
        if (pixels > maxPixels) {
            // Pixel counts as given: in MP a small limit read "64x64 = 0.0 MP exceeds the limit of 0.0 MP".
            throw new ImageException(String.format(Locale.ROOT,
                    "%s: %dx%d = %d pixels exceeds the limit of %d (raise it with --max-pixels)",
                    name, w, h, pixels, maxPixels));
        }
    }

    private static boolean looksCorrupt(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        return w.contains("premature") || w.contains("corrupt") || w.contains("truncat")
                || w.contains("end of") || w.contains("eof") || w.contains("bad huffman");
    }

    /** Converts a decoded image to planes in [0, 1], keeping gray as one plane and 16-bit precision. */
    public static Image fromBuffered(BufferedImage bi) {
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
            return Image.of(w, h, new float[][] {g}, a, depth).withMetadata(profileOf(cm));
        }
        // The JDK's TIFF reader gives 64-bit RGB a placeholder 3-colour space; Java2D passes its values as RGB too.
        boolean rgb = colorType == ColorSpace.TYPE_RGB
                || colorType == ColorSpace.TYPE_3CLR && !(cm.getColorSpace() instanceof ICC_ColorSpace);
        if (plainModel && rgb && cm.getNumColorComponents() == 3) {
            // Stored values whatever the profile (a TIFF's Adobe RGB stays Adobe RGB); the profile goes along.
            float[][] p = new float[3][];
            for (int c = 0; c < 3; c++) {
                p[c] = samples(raster, c, cm.getComponentSize(c), w, h);
            }
            float[] a = cm.hasAlpha() ? samples(raster, 3, cm.getComponentSize(3), w, h) : null;
            return Image.of(w, h, p, a, depth).withMetadata(profileOf(cm));
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

    /** A decoder-attached profile other than Java's own sRGB and gray, as metadata. */
    private static ImageMetadata profileOf(ColorModel cm) {
        ColorSpace cs = cm.getColorSpace();
        if (!(cs instanceof ICC_ColorSpace icc) || cs == ColorSpace.getInstance(ColorSpace.CS_sRGB)
                || cs == ColorSpace.getInstance(ColorSpace.CS_GRAY)) {
            return ImageMetadata.NONE;
        }
        return new ImageMetadata(icc.getProfile().getData(), null, null);
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
        int type = raster.getSampleModel().getDataType();
        if (type == DataBuffer.TYPE_FLOAT || type == DataBuffer.TYPE_DOUBLE) {
            // Floating-point samples are 0..1 (as ComponentColorModel takes them); 1 << 32 or 1 << 64 is no scale.
            float[] s = raster.getSamples(0, 0, w, h, band, (float[]) null);
            for (int i = 0; i < s.length; i++) {
                if (Float.isNaN(s[i])) {
                    throw new ImageException("floating-point samples include NaN (not a number), which is no brightness");
                }
                s[i] = Math.max(0f, Math.min(1f, s[i]));
            }
            return s;
        }
        if (bits >= 32) { // 32-bit integers, unsigned as ComponentColorModel takes them (through float the sign would stick)
            int[] v = raster.getSamples(0, 0, w, h, band, (int[]) null);
            float[] s = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                s[i] = (float) (Integer.toUnsignedLong(v[i]) / 4294967295.0);
            }
            return s;
        }
        float[] s = raster.getSamples(0, 0, w, h, band, (float[]) null);
        float scale = 1f / ((1 << bits) - 1);
        for (int i = 0; i < s.length; i++) {
            s[i] *= scale;
        }
        return s;
    }
}
