package io.shiftsr.image;

import java.util.List;
import java.util.Set;

/**
 * The image formats ShiftSR reads, in one place: the reader, folder listing, the web app's upload check, its
 * page and API description, and the help texts all take them from here.
 */
public final class ImageFormats {
    /** File name extensions taken from folders, as help texts print them (a compile-time constant). */
    public static final String EXTENSIONS_TEXT = "png/jpg/jpeg/bmp/webp/tif/tiff";
    /** The same, as a set of lower-case extensions. */
    public static final Set<String> EXTENSIONS = Set.of(EXTENSIONS_TEXT.split("/"));
    /** The formats by name, for messages ("not a supported image (PNG, JPEG, BMP, WebP)"). */
    public static final String NAMES = "PNG, JPEG, BMP, WebP, TIFF";
    /** MIME types, for the page's file picker. */
    public static final List<String> MIME_TYPES = List.of("image/png", "image/jpeg", "image/webp", "image/bmp",
            "image/tiff");
    /** ImageIO reader format names accepted (lower case); any other reader ImageIO finds is ignored. */
    static final Set<String> READER_NAMES = Set.of("png", "jpeg", "bmp", "webp", "tif", "tiff");

    /** Output formats, as --format and the web app name them (help texts print OUTPUTS_TEXT). */
    public static final String OUTPUTS_TEXT = "png, jpg, tiff";
    public static final List<String> OUTPUTS = List.of("png", "jpg", "tiff");

    /** The output format a file name asks for ("png", "jpg", "tiff"), or null. */
    public static String outputOf(String extension) {
        return switch (extension) {
            case "png" -> "png";
            case "jpg", "jpeg" -> "jpg";
            case "tif", "tiff" -> "tiff";
            default -> null;
        };
    }

    private ImageFormats() {
    }

    /**
     * Tells a format from its first bytes (the file name and declared content type are never trusted):
     * "png", "jpg", "webp", "bmp" or "tiff", or null when the bytes start like none of them.
     */
    public static String sniff(byte[] b) {
        if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "png";
        }
        if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
            return "jpg";
        }
        if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) {
            return "webp";
        }
        if (startsWith(b, 0, 'I', 'I', 42, 0) || startsWith(b, 0, 'M', 'M', 0, 42)) {
            return "tiff";
        }
        if (startsWith(b, 0, 'B', 'M') && b.length >= 26) {
            return "bmp";
        }
        return null;
    }

    private static boolean startsWith(byte[] b, int offset, int... magic) {
        if (b.length < offset + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[offset + i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
