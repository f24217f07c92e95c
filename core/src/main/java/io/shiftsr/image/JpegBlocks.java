package io.shiftsr.image;

import static io.shiftsr.image.MetadataBlocks.EXIF_HEADER;
import static io.shiftsr.image.MetadataBlocks.ascii;
import static io.shiftsr.image.MetadataBlocks.concat;
import static io.shiftsr.image.MetadataBlocks.startsWith;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/** JPEG's metadata segments: APP1 (Exif, XMP) and APP2 (ICC, in chunks), read from a file and made for writing. */
final class JpegBlocks {
    private static final String XMP_JPEG = "http://ns.adobe.com/xap/1.0/\0";
    private static final String ICC_JPEG = "ICC_PROFILE\0";
    private static final int MAX_SEGMENT = 65533; // a JPEG segment's payload

    private JpegBlocks() {
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
    static JpegHead read(byte[] d) {
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

    /** The segments that carry {@code m}, to go after SOI (and a JFIF APP0). */
    static byte[] blocks(ImageMetadata m) {
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

    private static void segment(ByteArrayOutputStream b, int marker, byte[] prefix, byte[] data, int off, int len) {
        int size = 2 + prefix.length + len;
        b.write(0xFF);
        b.write(marker);
        b.write(size >> 8);
        b.write(size & 0xFF);
        b.writeBytes(prefix);
        b.write(data, off, len);
    }
}
