package io.shiftsr.image;

import io.shiftsr.io.AtomicFiles;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.RenderedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.plugins.tiff.BaselineTIFFTagSet;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;
import javax.imageio.plugins.tiff.TIFFTag;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Writing image files: PNG, JPEG and TIFF, atomically (io.AtomicFiles), whole or streamed row by row. Gray stays
 * gray; PNG and TIFF keep alpha and 16 bits; the ICC profile, EXIF (orientation reset to 1) and XMP of the source
 * go into the output (TIFF: the profile only).
 */
public final class ImageWriting {
    /** TIFF tag 700, XMP (Adobe's XMP specification, part 3). */
    static final int TIFF_TAG_XMP = 700;

    /** JPEG quality when none is given, as in most photo tools' "high". */
    public static final int DEFAULT_JPEG_QUALITY = 95;
    /**
     * -Dshiftsr.png=jdk streams PNG rows through the JDK's writer on one thread, as before ParallelPng (for
     * the before/after measurement of docs/PERFORMANCE.md); the default compresses on every core.
     */
    static final boolean JDK_PNG = "jdk".equals(System.getProperty("shiftsr.png"));

    private static final float PNG_QUALITY_LEVEL_1 = 0.875f;

    static {
        ImageIO.setUseCache(false); // encode in memory: no temp files from ImageIO
    }

    private ImageWriting() {
    }

    /** As {@link #write(Image, Path, int)} with JPEG quality {@value #DEFAULT_JPEG_QUALITY}. */
    public static void write(Image img, Path path) {
        write(img, path, DEFAULT_JPEG_QUALITY);
    }

    /**
     * Writes the format the extension names (.png, .jpg/.jpeg, .tif/.tiff): PNG and TIFF keep alpha and write
     * 16 bits when the source had them; JPEG (quality 1-100) drops alpha. Atomically (temp file + rename), so a
     * failed write leaves nothing.
     */
    public static void write(Image img, Path path, int jpegQuality) {
        write(img, path, jpegQuality, true);
    }

    /**
     * As {@link #write(Image, Path, int)}; with {@code replace} off an existing file is never replaced, not even
     * one another process made meanwhile: that is an IO_ERROR ImageException caused by FileAlreadyExistsException
     * (see {@link #isExisting}), and nothing is written.
     */
    public static void write(Image img, Path path, int jpegQuality, boolean replace) {
        String format = checkTarget(path);
        checkQuality(jpegQuality);
        if (parallelPng(img, format)) {
            atomically(path, replace, out -> writePngImage(out, img));
            return;
        }
        Prepared p = prepare(img, format);
        atomically(path, replace, out -> encode(out, format, p.metadata(), p.image(), jpegQuality));
    }

    /**
     * 8-bit gray or RGB PNGs without alpha go through the parallel writer, as streamed upscales do (the same
     * pixels as the JDK's writer, smaller and faster: docs/PERFORMANCE.md); 16 bits and alpha stay with the JDK's.
     */
    private static boolean parallelPng(Image img, String format) {
        return format.equals("png") && !JDK_PNG && !img.hasAlpha() && img.sourceBitDepth() != 16
                && (img.channels() == 1 || img.channels() == 3);
    }

    private static void writePngImage(OutputStream out, Image img) throws IOException {
        int w = img.width();
        writePngRows(out, w, img.height(), img.channels(), img.metadata(), y -> {
            float[][] row = new float[img.channels()][];
            for (int c = 0; c < row.length; c++) {
                row[c] = java.util.Arrays.copyOfRange(img.plane(c), y * w, (y + 1) * w);
            }
            return row;
        });
    }

    /**
     * What {@link #write(Image, Path, int)} checks before encoding, for a command to check before its work: the
     * extension names an output format and the folder exists.
     *
     * @return the format ("png", "jpg" or "tiff")
     * @throws ImageException (IO_ERROR) naming the path otherwise
     */
    public static String checkTarget(Path path) {
        String format = ImageFormats.outputOf(InputFiles.extension(path));
        if (format == null) {
            throw new ImageException(ImageException.Kind.IO_ERROR, path + ": cannot write this format (use ."
                    + ImageFormats.OUTPUTS_TEXT.replace(", ", ", .") + ")", null);
        }
        checkFolder(path);
        return format;
    }

    /** True when {@code e} says an output was not written because the file exists (replace off). */
    public static boolean isExisting(ImageException e) {
        return e.getCause() instanceof java.nio.file.FileAlreadyExistsException;
    }

    /** Encodes to a stream ("png", "jpg" or "tiff"), as {@link #write(Image, Path, int)} writes files. */
    public static void write(Image img, OutputStream out, String format, int jpegQuality) {
        if (!ImageFormats.OUTPUTS.contains(format)) {
            throw new IllegalArgumentException("output format must be one of " + ImageFormats.OUTPUTS_TEXT
                    + ", got '" + format + "'");
        }
        checkQuality(jpegQuality);
        try {
            if (parallelPng(img, format)) {
                writePngImage(out, img);
                return;
            }
            Prepared p = prepare(img, format);
            encode(out, format, p.metadata(), p.image(), jpegQuality);
        } catch (IOException e) {
            throw new ImageException(ImageException.Kind.IO_ERROR, "cannot encode " + format + " (" + e.getMessage()
                    + ")", e);
        }
    }

    /**
     * The image as Java 2D sees it: gray or RGB, alpha kept, 16 bits per sample when the source had them, in the
     * colour space of its ICC profile when it has one that fits (the values are the profile's, as read).
     */
    public static BufferedImage toBufferedImage(Image img) {
        BufferedImage bi = toBuffered(img, img.hasAlpha(), img.sourceBitDepth() == 16);
        byte[] icc = img.metadata().iccProfile();
        if (icc == null || img.metadata().iccChannels() != img.channels()) {
            return bi;
        }
        ColorModel sRgb = bi.getColorModel();
        ColorModel cm = new ComponentColorModel(new java.awt.color.ICC_ColorSpace(java.awt.color.ICC_Profile
                .getInstance(icc)), sRgb.getComponentSize(), sRgb.hasAlpha(), false, sRgb.getTransparency(),
                sRgb.getTransferType());
        return new BufferedImage(cm, bi.getRaster(), false, null);
    }

    private record Prepared(BufferedImage image, ImageMetadata metadata) {}

    /** PNG and TIFF keep alpha and 16 bits, JPEG neither. */
    private static Prepared prepare(Image img, String format) {
        boolean jpeg = format.equals("jpg");
        ImageMetadata meta = img.metadata().forOutput(img.width(), img.height(), img.channels());
        BufferedImage bi = toBuffered(img, !jpeg && img.hasAlpha(), !jpeg && img.sourceBitDepth() == 16);
        return new Prepared(bi, meta);
    }

    private static void checkQuality(int q) {
        if (q < 1 || q > 100) {
            throw new IllegalArgumentException("JPEG quality must be 1-100, got " + q);
        }
    }

    /** Produces the rows of a streamed output, top to bottom: one [0, 1] float row per channel. */
    @FunctionalInterface
    public interface RowSource {
        float[][] row(int y);
    }

    /**
     * Writes what {@code content} produces to {@code path} atomically, as {@link #write(Image, Path, int)} writes
     * files (the folder must exist; a failed write leaves nothing). A refusal of the content's producer (an
     * IllegalArgumentException, e.g. a non-finite model output) comes out as itself, not as an I/O error.
     */
    public static void toFile(Path path, AtomicFiles.Content content) {
        toFile(path, true, content);
    }

    /** As {@link #toFile(Path, AtomicFiles.Content)}, replacing an existing file only when {@code replace} is on. */
    public static void toFile(Path path, boolean replace, AtomicFiles.Content content) {
        checkFolder(path);
        try {
            atomically(path, replace, content);
        } catch (ImageException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) {
                throw bad;
            }
            throw e;
        }
    }

    /**
     * Encodes an 8-bit gray (channels 1) or RGB (3) PNG whose rows come from {@code rows} one at a time, so the
     * image never exists whole in memory, with the metadata given, to a stream (not closed); {@link #toFile}
     * makes a file of it.
     */
    public static void writePngRows(OutputStream out, int width, int height, int channels, ImageMetadata metadata,
            RowSource rows) throws IOException {
        writePngRows(out, width, height, channels, metadata, rows, null);
    }

    /**
     * As {@link #writePngRows(OutputStream, int, int, int, ImageMetadata, RowSource)}, timing on {@code clock}
     * (null: not timed) the conversion to 8-bit rows as EIGHT_BIT and the rest of the writer, the time in
     * {@code rows} excluded, as ENCODE.
     */
    public static void writePngRows(OutputStream out, int width, int height, int channels, ImageMetadata metadata,
            RowSource rows, io.shiftsr.io.StageClock clock) throws IOException {
        long[] inRows = {0};
        RowSource timed = clock == null ? rows : y -> {
            long t0 = System.nanoTime();
            float[][] r = rows.row(y);
            inRows[0] += System.nanoTime() - t0;
            return r;
        };
        long t0 = System.nanoTime();
        long eightBefore = clock == null ? 0 : clock.nanos(io.shiftsr.io.StageClock.Stage.EIGHT_BIT);
        if (JDK_PNG) {
            RowStreamImage image = new RowStreamImage(width, height, channels, timed::row, clock);
            encode(out, "png", metadata.forOutput(width, height, channels), image, DEFAULT_JPEG_QUALITY);
        } else {
            // The 8-bit conversion, filtering and deflate run on the workers while the next rows are computed;
            // the clock sees only what the caller waits for, as ENCODE.
            OutputStream spliced = MetadataBlocks.splicing(out, "png", metadata.forOutput(width, height, channels));
            ParallelPng.write(spliced, width, height, channels, timed);
            if (spliced instanceof MetadataBlocks.Splicer splicer) {
                splicer.finish();
            }
        }
        if (clock != null) {
            long eightBit = clock.nanos(io.shiftsr.io.StageClock.Stage.EIGHT_BIT) - eightBefore;
            clock.add(io.shiftsr.io.StageClock.Stage.ENCODE, System.nanoTime() - t0 - inRows[0] - eightBit);
        }
    }

    private static void encode(OutputStream file, String format, ImageMetadata meta, RenderedImage image,
            int quality) throws IOException {
        String writerName = switch (format) {
            case "jpg" -> "jpeg";
            case "tiff" -> "tiff";
            default -> "png";
        };
        ImageWriter writer = ImageIO.getImageWritersByFormatName(writerName).next();
        OutputStream out = MetadataBlocks.splicing(file, writerName, meta);
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata tags = null;
            if (writerName.equals("jpeg")) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality / 100f);
            } else if (writerName.equals("png")) {
                // Deflate level 1, OpenCV's default for PNG: the JDK writer's default level spent a fifth of a
                // 256 -> 1024 upscale compressing; level 1 writes photo-like results about 2% larger
                // (docs/PERFORMANCE.md). The JDK maps quality q to level (int) (9 * (1 - q)).
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(PNG_QUALITY_LEVEL_1);
            } else if (writerName.equals("tiff")) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionType("LZW"); // lossless, read by every TIFF reader
                tags = tiffTags(writer, image, param, meta);
            }
            writer.write(null, new IIOImage(image, null, tags), param);
        } finally {
            writer.dispose();
        }
        if (out instanceof MetadataBlocks.Splicer splicer) {
            splicer.finish();
        }
    }

    /** TIFF keeps the profile and XMP as tags of the image's directory, written byte for byte. */
    private static IIOMetadata tiffTags(ImageWriter writer, RenderedImage image, ImageWriteParam param,
            ImageMetadata meta) throws IOException {
        if (meta.iccProfile() == null && meta.xmp() == null) {
            return null;
        }
        IIOMetadata base = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
        TIFFDirectory dir = TIFFDirectory.createFromMetadata(base);
        if (meta.iccProfile() != null) {
            dir.addTIFFField(new TIFFField(BaselineTIFFTagSet.getInstance().getTag(BaselineTIFFTagSet.TAG_ICC_PROFILE),
                    TIFFTag.TIFF_UNDEFINED, meta.iccProfile().length, meta.iccProfile()));
        }
        if (meta.xmp() != null) {
            TIFFTag xmp = new TIFFTag("XMP", TIFF_TAG_XMP, 1 << TIFFTag.TIFF_BYTE | 1 << TIFFTag.TIFF_UNDEFINED);
            dir.addTIFFField(new TIFFField(xmp, TIFFTag.TIFF_BYTE, meta.xmp().length, meta.xmp()));
        }
        return dir.getAsMetadata();
    }

    private static void atomically(Path path, boolean replace, AtomicFiles.Content content) {
        try {
            AtomicFiles.write(path, replace, content);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ImageException ie) {
                throw ie;
            }
            if (e instanceof java.nio.file.FileAlreadyExistsException) {
                throw new ImageException(ImageException.Kind.IO_ERROR, path + " exists", e);
            }
            String why = noSpace(e) ? "no space left on device"
                    : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new ImageException(ImageException.Kind.IO_ERROR, path + ": cannot write (" + why + ")", e);
        }
    }

    /**
     * Whether a failed write was a full disk (ENOSPC). The PNG writer wraps the file system's "No space left on
     * device" in its own "I/O error writing PNG file!", which was all the user saw.
     */
    static boolean noSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("ENOSPC"))) {
                return true;
            }
        }
        return false;
    }

    private static void checkFolder(Path path) {
        Path parent = path.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new ImageException(ImageException.Kind.IO_ERROR, path + ": output folder does not exist", null);
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

    /**
     * Builds an 8- or 16-bit gray/RGB (+alpha) BufferedImage from the planes, clamping and rounding. The values
     * go in as they are, labelled sRGB or gray; a source profile travels as metadata beside them.
     */
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
