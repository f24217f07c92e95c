package io.shiftsr.image;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Compositions for humans (LR | SR | HR comparisons): images side by side or in a grid on a dark grey
 * background, each column labelled in a strip above it. Output is 8-bit RGB (inputs are rounded to 8 bits,
 * which is what ends up in the PNG anyway).
 */
public final class SideBySide {
    /** Height of the label strip in pixels (0 when no labels are given). */
    public static final int LABEL_HEIGHT = 24;
    /** Background, 0x303030: dark enough that neither black nor white crops vanish into it. */
    public static final int BACKGROUND_RGB = 0x303030;
    private static final Color TEXT = new Color(0xE8E8E8);
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);

    private SideBySide() {
    }

    /** Images left to right, top-aligned, gap pixels apart; labels (or null for none) above each. */
    public static Image row(List<Image> images, List<String> labels, int gap) {
        return grid(List.of(images), labels, gap);
    }

    /**
     * Rows of images with the same number of columns. A column is as wide as its widest image, a row as
     * tall as its tallest; images sit top-left in their cell. Labels (or null) go above the first row only.
     */
    public static Image grid(List<List<Image>> rows, List<String> columnLabels, int gap) {
        if (rows.isEmpty() || rows.get(0).isEmpty()) {
            throw new IllegalArgumentException("nothing to compose: no images");
        }
        if (gap < 0) {
            throw new IllegalArgumentException("gap must be >= 0, got " + gap);
        }
        int cols = rows.get(0).size();
        int[] colW = new int[cols];
        int[] rowH = new int[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            List<Image> row = rows.get(r);
            if (row.size() != cols) {
                throw new IllegalArgumentException("row " + r + " has " + row.size() + " images, row 0 has " + cols);
            }
            for (int c = 0; c < cols; c++) {
                colW[c] = Math.max(colW[c], row.get(c).width());
                rowH[r] = Math.max(rowH[r], row.get(c).height());
            }
        }
        if (columnLabels != null && columnLabels.size() != cols) {
            throw new IllegalArgumentException(columnLabels.size() + " labels for " + cols + " columns");
        }
        int top = columnLabels == null ? 0 : LABEL_HEIGHT;
        int width = sum(colW) + gap * (cols - 1);
        int height = top + sum(rowH) + gap * (rows.size() - 1);

        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setColor(new Color(BACKGROUND_RGB));
            g.fillRect(0, 0, width, height);
            int y = top;
            for (int r = 0; r < rows.size(); r++) {
                int x = 0;
                for (int c = 0; c < cols; c++) {
                    Image img = rows.get(r).get(c).toRgb();
                    g.drawImage(ImageWriting.toBuffered(img, false, false), x, y, null);
                    if (r == 0 && columnLabels != null) {
                        drawLabel(g, columnLabels.get(c), x, colW[c]);
                    }
                    x += colW[c] + gap;
                }
                y += rowH[r] + gap;
            }
        } finally {
            g.dispose();
        }
        return ImageReading.fromBuffered(canvas);
    }

    /** Each pixel becomes a factor x factor block (all planes and alpha), so crops show exact pixels. */
    public static Image zoomNearest(Image img, int factor) {
        if (factor < 1) {
            throw new IllegalArgumentException("zoom factor must be >= 1, got " + factor);
        }
        int w = img.width();
        int h = img.height();
        float[][] planes = new float[img.channels()][];
        for (int c = 0; c < planes.length; c++) {
            planes[c] = zoomPlane(img.plane(c), w, h, factor);
        }
        float[] alpha = img.hasAlpha() ? zoomPlane(img.alpha(), w, h, factor) : null;
        return Image.of(Math.multiplyExact(w, factor), Math.multiplyExact(h, factor), planes, alpha,
                img.sourceBitDepth());
    }

    private static float[] zoomPlane(float[] p, int w, int h, int f) {
        int ow = w * f;
        float[] out = new float[Math.multiplyExact(ow, h * f)];
        for (int y = 0; y < h; y++) {
            int rowStart = y * f * ow;
            for (int x = 0; x < w; x++) {
                java.util.Arrays.fill(out, rowStart + x * f, rowStart + x * f + f, p[y * w + x]);
            }
            for (int k = 1; k < f; k++) { // the other f-1 lines of the block row are copies
                System.arraycopy(out, rowStart, out, rowStart + k * ow, ow);
            }
        }
        return out;
    }

    /** Centred in the column when it fits, else left-aligned and clipped to the column. */
    private static void drawLabel(Graphics2D g, String label, int x, int colWidth) {
        if (label == null || label.isEmpty()) {
            return;
        }
        Graphics2D lg = (Graphics2D) g.create(x, 0, colWidth, LABEL_HEIGHT);
        try {
            lg.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            lg.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            lg.setFont(FONT);
            lg.setColor(TEXT);
            FontMetrics fm = lg.getFontMetrics();
            int tw = fm.stringWidth(label);
            int tx = tw <= colWidth - 4 ? (colWidth - tw) / 2 : 2;
            int ty = (LABEL_HEIGHT - fm.getHeight()) / 2 + fm.getAscent();
            lg.drawString(label, tx, ty);
        } finally {
            lg.dispose();
        }
    }

    private static int sum(int[] a) {
        int s = 0;
        for (int v : a) {
            s = Math.addExact(s, v);
        }
        return s;
    }
}
