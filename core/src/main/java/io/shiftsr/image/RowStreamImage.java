package io.shiftsr.image;

import java.awt.Point;
import java.awt.Rectangle;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.RenderedImage;
import java.awt.image.SampleModel;
import java.awt.image.WritableRaster;
import java.util.Vector;

/**
 * An 8-bit gray or RGB image whose rows are produced on demand, in order, by a {@link RowSource}: the PNG
 * encoder asks for one row at a time, so a huge output never has to exist whole in memory. Only the forward,
 * row-by-row access the PNG writer makes is supported.
 */
final class RowStreamImage implements RenderedImage {
    /** Produces row y (planes of [0, 1] floats, one per channel); called with y = 0, 1, 2, ... */
    @FunctionalInterface
    interface RowSource {
        float[][] row(int y);
    }

    private final int width, height, bands;
    private final RowSource source;
    private final ColorModel colorModel;
    private final SampleModel rowModel;
    private int next;
    private final io.shiftsr.io.StageClock clock; // null: not timed

    RowStreamImage(int width, int height, int bands, RowSource source) {
        this(width, height, bands, source, null);
    }

    RowStreamImage(int width, int height, int bands, RowSource source, io.shiftsr.io.StageClock clock) {
        this.clock = clock;
        this.width = width;
        this.height = height;
        this.bands = bands;
        this.source = source;
        ColorSpace cs = ColorSpace.getInstance(bands == 1 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
        int[] bits = new int[bands];
        java.util.Arrays.fill(bits, 8);
        this.colorModel = new ComponentColorModel(cs, bits, false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        int[] offsets = new int[bands];
        for (int b = 0; b < bands; b++) {
            offsets[b] = b;
        }
        this.rowModel = new PixelInterleavedSampleModel(DataBuffer.TYPE_BYTE, width, 1, bands, width * bands, offsets);
    }

    @Override
    public Raster getData(Rectangle rect) {
        if (rect.height != 1 || rect.x != 0 || rect.width != width || rect.y != next) {
            throw new UnsupportedOperationException("rows are produced once, in order; asked for " + rect);
        }
        float[][] planes = source.row(next);
        long t0 = clock == null ? 0 : System.nanoTime();
        WritableRaster r = Raster.createWritableRaster(rowModel, new Point(0, next));
        // Straight into the row's bytes (rowModel's interleaved layout), one copy fewer than an int[] through
        // setPixels; not measurable in `bench` (docs/PERFORMANCE.md, session 11).
        byte[] px = ((java.awt.image.DataBufferByte) r.getDataBuffer()).getData();
        for (int x = 0; x < width; x++) {
            for (int b = 0; b < bands; b++) {
                px[x * bands + b] = (byte) Image.to8(planes[b][x]);
            }
        }
        if (clock != null) {
            clock.stop(io.shiftsr.io.StageClock.Stage.EIGHT_BIT, t0);
        }
        next++;
        return r;
    }

    @Override public Vector<RenderedImage> getSources() { return null; }
    @Override public Object getProperty(String name) { return java.awt.Image.UndefinedProperty; }
    @Override public String[] getPropertyNames() { return null; }
    @Override public ColorModel getColorModel() { return colorModel; }
    @Override public SampleModel getSampleModel() { return rowModel; }
    @Override public int getWidth() { return width; }
    @Override public int getHeight() { return height; }
    @Override public int getMinX() { return 0; }
    @Override public int getMinY() { return 0; }
    @Override public int getNumXTiles() { return 1; }
    @Override public int getNumYTiles() { return height; }
    @Override public int getMinTileX() { return 0; }
    @Override public int getMinTileY() { return 0; }
    @Override public int getTileWidth() { return width; }
    @Override public int getTileHeight() { return 1; }
    @Override public int getTileGridXOffset() { return 0; }
    @Override public int getTileGridYOffset() { return 0; }
    @Override public Raster getTile(int tileX, int tileY) { return getData(new Rectangle(0, tileY, width, 1)); }
    @Override public Raster getData() { throw new UnsupportedOperationException("whole image not available"); }
    @Override public WritableRaster copyData(WritableRaster raster) { throw new UnsupportedOperationException(); }
}
