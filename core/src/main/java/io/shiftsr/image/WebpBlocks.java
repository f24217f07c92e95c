package io.shiftsr.image;

import static io.shiftsr.image.MetadataBlocks.EXIF_HEADER;
import static io.shiftsr.image.MetadataBlocks.startsWith;

import java.util.Arrays;

/** WebP's metadata chunks in its RIFF container: ICCP, EXIF and "XMP " (read only: outputs are never WebP). */
final class WebpBlocks {
    private WebpBlocks() {
    }

    /** WebP's RIFF chunks ICCP, EXIF and "XMP ". */
    static ImageMetadata read(byte[] d) {
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
}
