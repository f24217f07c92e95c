package io.shiftsr.eval;

import io.shiftsr.image.Image;
import io.shiftsr.metrics.ColorSpace;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the comparison crop of an image: the square where the outputs of the settings disagree most (largest
 * summed variance of luma across them), so the report shows what the settings change, not a flat sky.
 */
final class CropPicker {
    private CropPicker() {}

    static Evaluation.Crops cut(String image, List<Image> outputs, List<String> names, Image hr, int size) {
        int w = outputs.get(0).width(), h = outputs.get(0).height();
        int side = Math.min(size, Math.min(w, h));
        double[] variance = lumaVariance(outputs, w, h);
        double[] integral = integral(variance, w, h);
        int stride = Math.max(1, side / 4);
        int bestX = 0, bestY = 0;
        double best = -1;
        for (int y = 0; y + side <= h; y += stride) {
            for (int x = 0; x + side <= w; x += stride) {
                double s = boxSum(integral, w, x, y, side);
                if (s > best) {
                    best = s;
                    bestX = x;
                    bestY = y;
                }
            }
        }
        List<Image> tiles = new ArrayList<>();
        for (Image o : outputs) {
            tiles.add(o.crop(bestX, bestY, side, side));
        }
        tiles.add(hr.crop(bestX, bestY, side, side));
        List<String> labels = new ArrayList<>(names);
        labels.add("HR");
        return new Evaluation.Crops(image, new Evaluation.Region(image, bestX, bestY, side), labels, tiles);
    }

    /** Per-pixel variance of Y over the outputs (all cropped to the first one's size). */
    static double[] lumaVariance(List<Image> outputs, int w, int h) {
        double[] sum = new double[w * h];
        double[] sq = new double[w * h];
        for (Image o : outputs) {
            double[] y = ColorSpace.rgbToY(o.crop(0, 0, w, h));
            for (int i = 0; i < y.length; i++) {
                sum[i] += y[i];
                sq[i] += y[i] * y[i];
            }
        }
        int n = outputs.size();
        double[] v = new double[w * h];
        for (int i = 0; i < v.length; i++) {
            double mean = sum[i] / n;
            v[i] = Math.max(0, sq[i] / n - mean * mean);
        }
        return v;
    }

    /** Summed-area table with a zero first row and column: (w + 1) x (h + 1). */
    private static double[] integral(double[] v, int w, int h) {
        double[] s = new double[(w + 1) * (h + 1)];
        for (int y = 0; y < h; y++) {
            double row = 0;
            for (int x = 0; x < w; x++) {
                row += v[y * w + x];
                s[(y + 1) * (w + 1) + x + 1] = s[y * (w + 1) + x + 1] + row;
            }
        }
        return s;
    }

    private static double boxSum(double[] s, int w, int x, int y, int side) {
        int stride = w + 1;
        return s[(y + side) * stride + x + side] - s[y * stride + x + side] - s[(y + side) * stride + x]
                + s[y * stride + x];
    }
}
