package io.shiftsr.image;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.tiff.IFD;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFEntry;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFWriter;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Photos with an ICC profile, EXIF and XMP for the metadata tests. The EXIF is built and parsed with
 * TwelveMonkeys' TIFF writer and reader, a second implementation beside ShiftSR's own patching.
 */
public final class MetadataFixtures {
    public static final String MAKE = "ShiftSR test camera";
    public static final byte[] XMP = ("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/"
            + "02/22-rdf-syntax-ns#\"><rdf:Description xmlns:dc=\"http://purl.org/dc/elements/1.1/\" dc:creator="
            + "\"ShiftSR\"/></rdf:RDF></x:xmpmeta>").getBytes(StandardCharsets.UTF_8);

    private MetadataFixtures() {
    }

    /** Java's linear-RGB profile: far from sRGB, so converting instead of keeping the values would show. */
    public static byte[] linearRgbProfile() {
        return ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
    }

    public static byte[] srgbProfile() {
        return ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
    }

    /** EXIF with Make, an orientation and an Exif IFD holding the pixel dimensions. */
    public static byte[] exif(int orientation, int width, int height) {
        IFD exifIfd = new IFD(List.of(
                new TIFFEntry(40962, TIFF.TYPE_LONG, (long) width),
                new TIFFEntry(40963, TIFF.TYPE_LONG, (long) height)));
        List<Entry> ifd0 = List.of(
                new TIFFEntry(TIFF.TAG_MAKE, TIFF.TYPE_ASCII, MAKE),
                new TIFFEntry(TIFF.TAG_ORIENTATION, TIFF.TYPE_SHORT, orientation),
                new TIFFEntry(TIFF.TAG_EXIF_IFD, TIFF.TYPE_LONG, exifIfd));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            new TIFFWriter().write(ifd0, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A value of the parsed EXIF: IFD0's tag, or the Exif IFD's when {@code inExifIfd}. */
    public static Object exifValue(byte[] tiff, int tag, boolean inExifIfd) throws IOException {
        Directory d = new TIFFReader().read(new MemoryCacheImageInputStream(new ByteArrayInputStream(tiff)));
        if (inExifIfd) {
            Entry sub = d.getEntryById(TIFF.TAG_EXIF_IFD);
            d = sub == null ? null : (Directory) sub.getValue();
        }
        Entry e = d == null ? null : d.getEntryById(tag);
        return e == null ? null : e.getValue();
    }

    /** A "jpg" or "png" file of the image carrying the blocks as given (orientation not reset, unlike outputs). */
    public static Path file(Path file, String format, Image img, byte[] icc, byte[] exif, byte[] xmp) {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        ImageWriting.write(img.withMetadata(ImageMetadata.NONE), plain, format, 95);
        ByteArrayOutputStream with = new ByteArrayOutputStream();
        try {
            var out = MetadataBlocks.splicing(with, format.equals("jpg") ? "jpeg" : format,
                    new ImageMetadata(icc, exif, xmp));
            out.write(plain.toByteArray());
            ((MetadataBlocks.Splicer) out).finish();
            Files.write(file, with.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    public static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The payload of a JPEG's first segment with this marker and identifier, after the identifier, as
     * TwelveMonkeys' segment reader (not ShiftSR's) finds it; for "Exif" the TIFF bytes (the pad NUL skipped),
     * for "ICC_PROFILE" the profile (sequence number and count skipped); fails when there is none.
     */
    public static byte[] jpegSegment(byte[] jpeg, int marker, String id) throws IOException {
        try (javax.imageio.stream.ImageInputStream in = javax.imageio.ImageIO.createImageInputStream(
                new ByteArrayInputStream(jpeg))) {
            List<com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment> s =
                    com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil.readSegments(in,
                            java.util.Map.of(marker, List.of(id)));
            org.junit.jupiter.api.Assertions.assertFalse(s.isEmpty(), "no " + id + " segment");
            try (java.io.InputStream d = s.get(0).data()) {
                byte[] all = d.readAllBytes();
                int off = id.equals("ICC_PROFILE") ? 2 : 0;
                while (id.equals("Exif") && off < all.length && all[off] == 0) {
                    off++; // "Exif\0\0": data() skips one NUL
                }
                return java.util.Arrays.copyOfRange(all, off, all.length);
            }
        }
    }
}
