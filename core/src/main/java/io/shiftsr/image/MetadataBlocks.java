package io.shiftsr.image;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Where JPEG, PNG and WebP keep an ICC profile, EXIF and XMP, read from a file and written into an encoded
 * stream: one reader and writer per container ({@link JpegBlocks}, {@link PngBlocks}, {@link WebpBlocks}), and
 * here the splicing of the written blocks into an encoder's stream and what the three share. ImageIO's writers drop or replace these blocks (the JPEG writer converts to the image's own profile,
 * the PNG writer writes none), so the writers encode the pixels and this class puts the blocks in: JPEG APP1
 * (Exif, XMP) and APP2 (ICC, in chunks) after SOI/JFIF; PNG iCCP, eXIf and iTXt after IHDR.
 */
final class MetadataBlocks {
    static final byte[] EXIF_HEADER = {'E', 'x', 'i', 'f', 0, 0};
    /** Most bytes of one block taken from a file: profiles and EXIF are kilobytes; more is not metadata. */
    static final int MAX_BLOCK = 16 << 20;

    private MetadataBlocks() {
    }

    /** Wraps an encoder's output so the metadata blocks land in the right place of the "png" or "jpeg" stream. */
    static OutputStream splicing(OutputStream out, String format, ImageMetadata m) {
        if (m.isEmpty()) {
            return out;
        }
        return switch (format) {
            case "png" -> new Splicer(out, m, false);
            case "jpeg" -> new Splicer(out, m, true);
            default -> out;
        };
    }

    /** Buffers the stream's head until the insertion point is known, writes the blocks there, then passes on. */
    static final class Splicer extends FilterOutputStream {
        private final ImageMetadata m;
        private final boolean jpeg;
        private ByteArrayOutputStream head = new ByteArrayOutputStream();

        Splicer(OutputStream out, ImageMetadata m, boolean jpeg) {
            super(out);
            this.m = m;
            this.jpeg = jpeg;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (head == null) {
                out.write(b, off, len);
                return;
            }
            head.write(b, off, len);
            int at = insertionPoint(head.toByteArray());
            if (at >= 0) {
                byte[] h = head.toByteArray();
                head = null;
                out.write(h, 0, at);
                out.write(jpeg ? JpegBlocks.blocks(m) : PngBlocks.blocks(m));
                out.write(h, at, h.length - at);
            }
        }

        @Override
        public void flush() throws IOException {
            if (head == null) {
                out.flush();
            }
        }

        /** Passes on a head still held (an encoder that wrote less than a header), without closing the stream. */
        void finish() throws IOException {
            if (head != null) {
                out.write(head.toByteArray());
                head = null;
            }
            out.flush();
        }

        /** After PNG's signature and IHDR; after JPEG's SOI and a JFIF APP0; -1 while not known yet. */
        private int insertionPoint(byte[] h) {
            if (!jpeg) {
                return h.length >= 33 ? 33 : -1;
            }
            if (h.length < 4) {
                return -1;
            }
            if ((h[2] & 0xFF) != 0xFF || (h[3] & 0xFF) != 0xE0) {
                return 2;
            }
            if (h.length < 6) {
                return -1;
            }
            int end = 4 + (((h[4] & 0xFF) << 8) | (h[5] & 0xFF));
            return h.length >= end ? end : -1;
        }
    }

    /** tiff:Orientation in XMP, as an attribute (tiff:Orientation="6") or an element (<tiff:Orientation>6<). */
    private static final java.util.regex.Pattern XMP_ORIENTATION = java.util.regex.Pattern.compile(
            "(\\btiff:Orientation\\s*=\\s*[\"']\\s*|<tiff:Orientation\\s*>\\s*)([2-8])(?=\\s*[\"<'])");

    /**
     * The XMP packet with tiff:Orientation set to 1, as {@link Exif#upright} sets EXIF's: XMP-aware viewers
     * read it too, and turned an upright output again. Only the digit changes, so the packet keeps its length
     * (and padding); a packet without the property is returned as is.
     */
    static byte[] uprightXmp(byte[] xmp) {
        String text = new String(xmp, StandardCharsets.ISO_8859_1); // byte for byte, whatever the encoding
        java.util.regex.Matcher m = XMP_ORIENTATION.matcher(text);
        if (!m.find()) {
            return xmp;
        }
        return m.replaceAll(r -> r.group(1) + "1").getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(Iterable<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static boolean startsWith(byte[] d, int at, byte[] prefix) {
        if (at + prefix.length > d.length) {
            return false;
        }
        for (int k = 0; k < prefix.length; k++) {
            if (d[at + k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] d, int from, int value) {
        for (int k = from; k < d.length; k++) {
            if (d[k] == value) {
                return k;
            }
        }
        return -1;
    }
}
