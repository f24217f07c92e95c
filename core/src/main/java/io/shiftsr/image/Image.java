package io.shiftsr.image;

import java.util.Arrays;

/**
 * A planar float image with values in [0, 1]: one plane per colour channel (1 = gray, 3 = RGB),
 * each row-major of length width*height, plus an optional alpha plane.
 *
 * <p>"Immutable-ish": the planes are handed out without copying so hot code (the model, the resizer)
 * can read them for free. Callers must not modify planes of an image they did not create; build a new
 * image with {@link #withPlanes} instead.
 */
public final class Image {
    private final int width;
    private final int height;
    private final float[][] planes;
    private final float[] alpha;
    private final int sourceBitDepth;
    private final ImageMetadata metadata;

    private Image(int width, int height, float[][] planes, float[] alpha, int sourceBitDepth) {
        this(width, height, planes, alpha, sourceBitDepth, ImageMetadata.NONE);
    }

    private Image(int width, int height, float[][] planes, float[] alpha, int sourceBitDepth, ImageMetadata metadata) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (planes.length != 1 && planes.length != 3) {
            throw new IllegalArgumentException("an image has 1 (gray) or 3 (RGB) colour planes, got " + planes.length);
        }
        int n = Math.multiplyExact(width, height);
        for (float[] p : planes) {
            if (p == null || p.length != n) {
                throw new IllegalArgumentException("plane length must be width*height = " + n);
            }
        }
        if (alpha != null && alpha.length != n) {
            throw new IllegalArgumentException("alpha length must be width*height = " + n);
        }
        if (sourceBitDepth != 8 && sourceBitDepth != 16) {
            throw new IllegalArgumentException("source bit depth is 8 or 16, got " + sourceBitDepth);
        }
        this.width = width;
        this.height = height;
        this.planes = planes;
        this.alpha = alpha;
        this.sourceBitDepth = sourceBitDepth;
        this.metadata = metadata == null ? ImageMetadata.NONE : metadata;
    }

    /** Wraps the given planes (not copied). */
    public static Image of(int width, int height, float[][] planes, float[] alpha, int sourceBitDepth) {
        return new Image(width, height, planes.clone(), alpha, sourceBitDepth);
    }

    /** Wraps the given colour planes (not copied), no alpha, 8-bit source. */
    public static Image of(int width, int height, float[]... planes) {
        return new Image(width, height, planes.clone(), null, 8);
    }

    /** A black RGB image. */
    public static Image rgb(int width, int height) {
        int n = Math.multiplyExact(width, height);
        return new Image(width, height, new float[][] {new float[n], new float[n], new float[n]}, null, 8);
    }

    /** A black gray image. */
    public static Image gray(int width, int height) {
        return new Image(width, height, new float[][] {new float[Math.multiplyExact(width, height)]}, null, 8);
    }

    public int width() { return width; }

    public int height() { return height; }

    /** Number of colour channels: 1 (gray) or 3 (RGB); alpha is not counted. */
    public int channels() { return planes.length; }

    /** Colour plane c, row-major, length width*height (the live array, not a copy). */
    public float[] plane(int c) { return planes[c]; }

    /** The alpha plane (live array) or null. */
    public float[] alpha() { return alpha; }

    public boolean hasAlpha() { return alpha != null; }

    public boolean isGray() { return planes.length == 1; }

    /** Bit depth of the file this image came from (8 or 16); output writers may use it. */
    public int sourceBitDepth() { return sourceBitDepth; }

    /** The file's colour profile, EXIF and XMP, which writers carry into the output. */
    public ImageMetadata metadata() { return metadata; }

    /** Same image with other colour planes (1 or 3) of the same size; alpha, bit depth and metadata kept. */
    public Image withPlanes(float[]... newPlanes) {
        return new Image(width, height, newPlanes.clone(), alpha, sourceBitDepth, metadata);
    }

    /** Same size and planes with another alpha plane (or null to drop it). */
    public Image withAlpha(float[] newAlpha) {
        return new Image(width, height, planes.clone(), newAlpha, sourceBitDepth, metadata);
    }

    /** Same pixels with other metadata. */
    public Image withMetadata(ImageMetadata m) {
        return new Image(width, height, planes.clone(), alpha, sourceBitDepth, m);
    }

    /**
     * Same pixels, described as coming from {@code source}: its bit depth and metadata, so an upscaled photo is
     * written like the file it came from.
     */
    public Image withSourceOf(Image source) {
        return new Image(width, height, planes.clone(), alpha, source.sourceBitDepth, source.metadata);
    }

    public Image withoutAlpha() {
        return alpha == null ? this : withAlpha(null);
    }

    public Image withSourceBitDepth(int bits) {
        return new Image(width, height, planes.clone(), alpha, bits, metadata);
    }

    /** RGB view: gray is replicated to three planes (shared, not copied); RGB is returned as is. */
    public Image toRgb() {
        if (planes.length == 3) {
            return this;
        }
        return new Image(width, height, new float[][] {planes[0], planes[0], planes[0]}, alpha, sourceBitDepth, metadata);
    }

    /** A copy of the rectangle at (x, y) of size w x h. */
    public Image crop(int x, int y, int w, int h) {
        if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > width || y + h > height) {
            throw new IllegalArgumentException("crop " + w + "x" + h + "+" + x + "+" + y
                    + " outside the " + width + "x" + height + " image");
        }
        float[][] out = new float[planes.length][];
        for (int c = 0; c < planes.length; c++) {
            out[c] = cropPlane(planes[c], x, y, w, h);
        }
        return new Image(w, h, out, alpha == null ? null : cropPlane(alpha, x, y, w, h), sourceBitDepth, metadata);
    }

    private float[] cropPlane(float[] p, int x, int y, int w, int h) {
        float[] out = new float[w * h];
        for (int r = 0; r < h; r++) {
            System.arraycopy(p, (y + r) * width + x, out, r * w, w);
        }
        return out;
    }

    /**
     * Rounds every value (alpha too) to the nearest of the 256 levels k/255, clamping to [0, 1]; the result
     * reports an 8-bit source.
     */
    public Image quantize8() {
        float[][] out = new float[planes.length][];
        for (int c = 0; c < planes.length; c++) {
            out[c] = quantize8(planes[c]);
        }
        // The content is 8-bit now, so writers need not spend 16 bits on it.
        return new Image(width, height, out, alpha == null ? null : quantize8(alpha), 8, metadata);
    }

    /** Quantised copy of one plane, see {@link #quantize8()}. */
    public static float[] quantize8(float[] p) {
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = to8(p[i]) / 255f;
        }
        return out;
    }

    /**
     * The pixels as interleaved 8-bit colour, three bytes a pixel (gray repeated, alpha dropped), rounded as
     * {@link #to8}: in R, G, B order, or B, G, R when {@code bgr} (a TYPE_3BYTE_BGR raster's order). What a
     * codec that takes packed 8-bit RGB is handed.
     */
    public byte[] packedRgb8(boolean bgr) {
        byte[] px = new byte[3 * width * height];
        float[] r = planes[0], g = planes[planes.length > 1 ? 1 : 0], b = planes[planes.length > 2 ? 2 : 0];
        float[] first = bgr ? b : r, last = bgr ? r : b;
        for (int i = 0; i < width * height; i++) {
            px[3 * i] = (byte) to8(first[i]);
            px[3 * i + 1] = (byte) to8(g[i]);
            px[3 * i + 2] = (byte) to8(last[i]);
        }
        return px;
    }

    /** The 8-bit level (0..255) of a [0,1] value: round half up, clamp (NaN maps to 0). */
    public static int to8(float v) {
        if (!(v > 0f)) {
            return 0;
        }
        if (v >= 1f) {
            return 255;
        }
        return (int) (v * 255.0 + 0.5);
    }

    /** A deep copy (planes and alpha copied). */
    public Image copy() {
        float[][] out = new float[planes.length][];
        for (int c = 0; c < planes.length; c++) {
            out[c] = planes[c].clone();
        }
        return new Image(width, height, out, alpha == null ? null : alpha.clone(), sourceBitDepth, metadata);
    }

    @Override
    public String toString() {
        return "Image[" + width + "x" + height + ", " + (planes.length == 1 ? "gray" : "RGB")
                + (alpha != null ? "+alpha" : "") + ", " + sourceBitDepth + "-bit source]";
    }

    /** True when both images have the same size, channels, alpha presence and identical values. */
    public boolean sameContent(Image o) {
        if (o.width != width || o.height != height || o.planes.length != planes.length
                || (o.alpha == null) != (alpha == null)) {
            return false;
        }
        for (int c = 0; c < planes.length; c++) {
            if (!Arrays.equals(planes[c], o.planes[c])) {
                return false;
            }
        }
        return alpha == null || Arrays.equals(alpha, o.alpha);
    }
}
