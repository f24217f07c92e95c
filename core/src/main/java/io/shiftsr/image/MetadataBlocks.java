package io.shiftsr.image;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Where JPEG, PNG and WebP keep an ICC profile, EXIF and XMP, read from a file and written into an encoded
 * stream. ImageIO's writers drop or replace these blocks (the JPEG writer converts to the image's own profile,
 * the PNG writer writes none), so the writers encode the pixels and this class puts the blocks in: JPEG APP1
 * (Exif, XMP) and APP2 (ICC, in chunks) after SOI/JFIF; PNG iCCP, eXIf and iTXt after IHDR.
 */
final class MetadataBlocks {
    private static final String XMP_JPEG = "http://ns.adobe.com/xap/1.0/\0";
    private static final String XMP_PNG = "XML:com.adobe.xmp";
    private static final byte[] EXIF_HEADER = {'E', 'x', 'i', 'f', 0, 0};
    private static final String ICC_JPEG = "ICC_PROFILE\0";
    /** Most bytes of one block taken from a file: profiles and EXIF are kilobytes; more is not metadata. */
    private static final int MAX_BLOCK = 16 << 20;
    private static final int MAX_SEGMENT = 65533; // a JPEG segment's payload

    private MetadataBlocks() {
    }

    /** A JPEG's header segments: its metadata, the byte ranges of its ICC segments, and its colour components. */
    record JpegHead(ImageMetadata metadata, List<int[]> iccSegments, int components) {
        /** The file without its ICC segments, so a decoder reads the stored values instead of converting them. */
        byte[] withoutIcc(byte[] file) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(file.length);
            int at = 0;
            for (int[] s : iccSegments) {
                out.write(file, at, s[0] - at);
                at = s[1];
            }
            out.write(file, at, file.length - at);
            return out.toByteArray();
        }
    }

    /** Walks the segments up to the first scan; malformed segments end the walk (the decoder reports them). */
    static JpegHead jpeg(byte[] d) {
        byte[] exif = null, xmp = null;
        TreeMap<Integer, byte[]> icc = new TreeMap<>();
        List<int[]> iccRanges = new ArrayList<>();
        int components = 0;
        int i = 2;
        while (i + 4 <= d.length && (d[i] & 0xFF) == 0xFF) {
            int marker = d[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++;
                continue;
            }
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                break;
            }
            int len = ((d[i + 2] & 0xFF) << 8) | (d[i + 3] & 0xFF);
            int start = i + 4, end = i + 2 + len;
            if (len < 2 || end > d.length) {
                break;
            }
            if (marker == 0xE1 && startsWith(d, start, EXIF_HEADER) && exif == null) {
                exif = Arrays.copyOfRange(d, start + EXIF_HEADER.length, end);
            } else if (marker == 0xE1 && startsWith(d, start, ascii(XMP_JPEG)) && xmp == null) {
                xmp = Arrays.copyOfRange(d, start + XMP_JPEG.length(), end);
            } else if (marker == 0xE2 && startsWith(d, start, ascii(ICC_JPEG)) && end - start >= 14) {
                icc.put(d[start + 12] & 0xFF, Arrays.copyOfRange(d, start + 14, end));
                iccRanges.add(new int[] {i, end});
            } else if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
                    && len >= 8) {
                components = d[i + 9] & 0xFF;
            }
            i = end;
        }
        return new JpegHead(new ImageMetadata(icc.isEmpty() ? null : concat(icc.values()), exif, xmp),
                iccRanges, components);
    }

    /** PNG chunks iCCP, eXIf and iTXt (XMP). */
    static ImageMetadata png(byte[] d) {
        byte[] icc = null, exif = null, xmp = null;
        ByteBuffer b = ByteBuffer.wrap(d);
        long at = 8;
        while (at + 12 <= d.length) {
            long len = b.getInt((int) at) & 0xFFFFFFFFL;
            String t = new String(d, (int) at + 4, 4, StandardCharsets.US_ASCII);
            if (t.equals("IEND") || at + 12 + len > d.length) {
                break;
            }
            int from = (int) at + 8, to = (int) (from + len);
            if (t.equals("iCCP") && icc == null) {
                int nul = indexOf(d, from, 0);
                icc = nul < 0 || nul + 2 > to ? null : inflate(Arrays.copyOfRange(d, nul + 2, to));
            } else if (t.equals("eXIf") && exif == null) {
                exif = Arrays.copyOfRange(d, from, to);
            } else if (t.equals("iTXt") && xmp == null) {
                xmp = pngXmp(Arrays.copyOfRange(d, from, to));
            }
            at += 12 + len;
        }
        return new ImageMetadata(icc, exif, xmp);
    }

    /** WebP's RIFF chunks ICCP, EXIF and "XMP ". */
    static ImageMetadata webp(byte[] d) {
        byte[] icc = null, exif = null, xmp = null;
        for (WebpFrames.Chunk c : WebpFrames.chunks(d)) {
            if (c.offset() + c.length() > d.length) {
                break;
            }
            byte[] data = Arrays.copyOfRange(d, c.offset(), (int) (c.offset() + c.length()));
            switch (c.fourcc()) {
                case "ICCP" -> icc = data;
                case "EXIF" -> exif = startsWith(data, 0, EXIF_HEADER)
                        ? Arrays.copyOfRange(data, EXIF_HEADER.length, data.length) : data;
                case "XMP " -> xmp = data;
                default -> { }
            }
        }
        return new ImageMetadata(icc, exif, xmp);
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
                out.write(jpeg ? jpegBlocks(m) : pngBlocks(m));
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

    static byte[] jpegBlocks(ImageMetadata m) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        if (m.exif() != null && m.exif().length + EXIF_HEADER.length <= MAX_SEGMENT) {
            segment(b, 0xE1, EXIF_HEADER, m.exif(), 0, m.exif().length);
        }
        if (m.xmp() != null && m.xmp().length + XMP_JPEG.length() <= MAX_SEGMENT) {
            segment(b, 0xE1, ascii(XMP_JPEG), m.xmp(), 0, m.xmp().length);
        }
        byte[] icc = m.iccProfile();
        if (icc != null) {
            int chunk = MAX_SEGMENT - ICC_JPEG.length() - 2;
            int count = (icc.length + chunk - 1) / chunk;
            for (int k = 0; k < count; k++) {
                byte[] prefix = Arrays.copyOf(ascii(ICC_JPEG), ICC_JPEG.length() + 2);
                prefix[ICC_JPEG.length()] = (byte) (k + 1);
                prefix[ICC_JPEG.length() + 1] = (byte) count;
                int from = k * chunk;
                segment(b, 0xE2, prefix, icc, from, Math.min(chunk, icc.length - from));
            }
        }
        return b.toByteArray();
    }

    static byte[] pngBlocks(ImageMetadata m) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        if (m.iccProfile() != null) {
            ByteArrayOutputStream d = new ByteArrayOutputStream();
            d.writeBytes(ascii("ICC profile\0"));
            d.write(0); // compression method: zlib
            d.writeBytes(deflate(m.iccProfile()));
            chunk(b, "iCCP", d.toByteArray());
        }
        if (m.exif() != null) {
            chunk(b, "eXIf", m.exif());
        }
        if (m.xmp() != null) {
            ByteArrayOutputStream d = new ByteArrayOutputStream();
            d.writeBytes(ascii(XMP_PNG + "\0"));
            d.writeBytes(new byte[] {0, 0, 0, 0}); // uncompressed, method 0, no language, no translated keyword
            d.writeBytes(m.xmp());
            chunk(b, "iTXt", d.toByteArray());
        }
        return b.toByteArray();
    }

    private static void segment(ByteArrayOutputStream b, int marker, byte[] prefix, byte[] data, int off, int len) {
        int size = 2 + prefix.length + len;
        b.write(0xFF);
        b.write(marker);
        b.write(size >> 8);
        b.write(size & 0xFF);
        b.writeBytes(prefix);
        b.write(data, off, len);
    }

    private static void chunk(ByteArrayOutputStream b, String type, byte[] data) {
        byte[] t = ascii(type);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        int n = data.length;
        b.writeBytes(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        b.writeBytes(t);
        b.writeBytes(data);
        long c = crc.getValue();
        b.writeBytes(new byte[] {(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c});
    }

    /** The XMP packet of an iTXt chunk with XMP's keyword, or null. */
    private static byte[] pngXmp(byte[] data) {
        byte[] key = ascii(XMP_PNG + "\0");
        if (!startsWith(data, 0, key) || data.length < key.length + 2) {
            return null;
        }
        boolean compressed = data[key.length] != 0;
        int lang = indexOf(data, key.length + 2, 0);
        int translated = lang < 0 ? -1 : indexOf(data, lang + 1, 0);
        if (translated < 0) {
            return null;
        }
        byte[] text = Arrays.copyOfRange(data, translated + 1, data.length);
        return compressed ? inflate(text) : text;
    }

    private static byte[] inflate(byte[] z) {
        Inflater inf = new Inflater();
        try {
            inf.setInput(z);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    return null; // cut off: no profile rather than half of one
                }
                out.write(buf, 0, n);
                if (out.size() > MAX_BLOCK) {
                    return null;
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            return null;
        } finally {
            inf.end();
        }
    }

    private static byte[] deflate(byte[] data) {
        Deflater def = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            def.setInput(data);
            def.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!def.finished()) {
                out.write(buf, 0, def.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            def.end();
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

    private static byte[] concat(Iterable<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean startsWith(byte[] d, int at, byte[] prefix) {
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

    private static int indexOf(byte[] d, int from, int value) {
        for (int k = from; k < d.length; k++) {
            if (d[k] == value) {
                return k;
            }
        }
        return -1;
    }
}
