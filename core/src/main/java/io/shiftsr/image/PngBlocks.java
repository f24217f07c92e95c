package io.shiftsr.image;

import static io.shiftsr.image.MetadataBlocks.MAX_BLOCK;
import static io.shiftsr.image.MetadataBlocks.ascii;
import static io.shiftsr.image.MetadataBlocks.indexOf;
import static io.shiftsr.image.MetadataBlocks.startsWith;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** PNG's metadata chunks: iCCP (zlib), eXIf and iTXt (XMP), read from a file and made for writing. */
final class PngBlocks {
    private static final String XMP_PNG = "XML:com.adobe.xmp";

    private PngBlocks() {
    }

    /** PNG chunks iCCP, eXIf and iTXt (XMP). */
    static ImageMetadata read(byte[] d) {
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

    /** The chunks that carry {@code m}, to go after IHDR. */
    static byte[] blocks(ImageMetadata m) {
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

    /** One PNG chunk: length, type, data and the CRC of type and data. */
    static void chunk(ByteArrayOutputStream b, String type, byte[] data) {
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
}
