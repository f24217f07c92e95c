package io.shiftsr.image;

import java.nio.charset.StandardCharsets;

/**
 * What a photo carries besides its pixels and that an upscale must not drop: the ICC colour profile, EXIF and
 * XMP, each as the raw bytes of the file (null when absent). Pixels are read as stored, never converted to sRGB
 * (a wide-gamut photo keeps its gamut), so writing the same profile back keeps the colours.
 *
 * <p>{@code exif} is the TIFF structure that follows JPEG's "Exif\0\0" (PNG's eXIf chunk holds the same). The
 * reader applies its orientation to the pixels; {@link #forOutput} resets it, so no viewer turns the photo twice.
 *
 * <p>{@code compression} says how the file stored its pixels (read, not written: outputs describe themselves),
 * so an upscaler can tell a JPEG of quality 60 from a lossless file.
 */
public record ImageMetadata(byte[] iccProfile, byte[] exif, byte[] xmp, Compression compression) {
    public static final ImageMetadata NONE = new ImageMetadata(null, null, null);

    /**
     * How the source file stored its pixels.
     *
     * @param lossy       a lossy format (JPEG, lossy WebP); false for PNG, BMP, TIFF, lossless WebP and
     *                    images that did not come from a file
     * @param jpegQuality the IJG quality read from a JPEG's tables ({@link JpegQuality}); 0 for everything else
     */
    public record Compression(boolean lossy, int jpegQuality) {
        public static final Compression NONE = new Compression(false, 0);
    }

    /** Metadata blocks of a file whose compression is not known (or an image not read from a file). */
    public ImageMetadata(byte[] iccProfile, byte[] exif, byte[] xmp) {
        this(iccProfile, exif, xmp, Compression.NONE);
    }

    public ImageMetadata {
        compression = compression == null ? Compression.NONE : compression;
    }

    /** The same blocks, described as read from a file with {@code c}. */
    public ImageMetadata withCompression(Compression c) {
        return new ImageMetadata(iccProfile, exif, xmp, c);
    }

    public boolean isEmpty() {
        return iccProfile == null && exif == null && xmp == null;
    }

    /** Colour channels the ICC profile describes: 3 (RGB), 1 (gray), 0 (none, or another space such as CMYK). */
    public int iccChannels() {
        return iccChannels(iccProfile);
    }

    static int iccChannels(byte[] icc) {
        if (icc == null || icc.length < 128) {
            return 0;
        }
        String space = new String(icc, 16, 4, StandardCharsets.US_ASCII); // header: data colour space
        return space.equals("RGB ") ? 3 : space.equals("GRAY") ? 1 : 0;
    }

    /** EXIF orientation (1..8; 1 when absent or unreadable). */
    public int orientation() {
        return exif == null ? 1 : Exif.orientation(exif);
    }

    /**
     * The metadata to write beside pixels of the given size and channel count: orientation 1 (in EXIF and XMP) and
     * the EXIF pixel dimensions updated; a profile that does not fit the channels (a CMYK profile of a converted
     * photo) dropped.
     */
    public ImageMetadata forOutput(int width, int height, int channels) {
        byte[] icc = iccChannels(iccProfile) == channels ? iccProfile : null;
        byte[] ex = exif == null ? null : Exif.upright(exif, width, height);
        return new ImageMetadata(icc, ex, xmp == null ? null : MetadataBlocks.uprightXmp(xmp));
    }

    @Override
    public String toString() {
        return "ImageMetadata[icc=" + len(iccProfile) + " B, exif=" + len(exif) + " B, xmp=" + len(xmp) + " B]";
    }

    private static int len(byte[] b) {
        return b == null ? 0 : b.length;
    }
}
