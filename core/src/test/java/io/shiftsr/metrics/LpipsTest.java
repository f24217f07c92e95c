package io.shiftsr.metrics;

import static org.junit.jupiter.api.Assertions.*;

import io.shiftsr.image.Image;
import io.shiftsr.weights.SafetensorsWriter;
import io.shiftsr.weights.TensorData;
import io.shiftsr.weights.WeightsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LPIPS on a narrow random VGG against a second, naive implementation written from the paper's definition. */
public class LpipsTest {
    static final int[] WIDTHS = {4, 6, 8, 8, 8};

    public static Map<String, TensorData> randomWeights(long seed) {
        Random r = new Random(seed);
        Map<String, TensorData> m = new LinkedHashMap<>();
        int in = 3;
        for (int stage = 0; stage < Lpips.STAGES.length; stage++) {
            for (int index : Lpips.STAGES[stage]) {
                int out = WIDTHS[stage];
                m.put("features." + index + ".weight", TensorData.of("features." + index + ".weight",
                        new long[] {out, in, 3, 3}, gaussian(r, out * in * 9, 0.4)));
                m.put("features." + index + ".bias", TensorData.of("features." + index + ".bias", new long[] {out},
                        gaussian(r, out, 0.1)));
                in = out;
            }
            float[] lin = gaussian(r, in, 1);
            for (int i = 0; i < lin.length; i++) {
                lin[i] = Math.abs(lin[i]); // LPIPS clamps its linear weights to be non-negative
            }
            m.put("lin" + stage + ".weight", TensorData.of("lin" + stage + ".weight", new long[] {1, in, 1, 1}, lin));
        }
        return m;
    }

    static float[] gaussian(Random r, int n, double sd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * sd);
        }
        return v;
    }

    static Image randomImage(Random r, int w, int h) {
        float[][] p = new float[3][w * h];
        for (float[] plane : p) {
            for (int i = 0; i < plane.length; i++) {
                plane[i] = r.nextFloat();
            }
        }
        return Image.of(w, h, p);
    }

    @Test
    void matchesANaiveImplementation() {
        Map<String, TensorData> w = randomWeights(7);
        Random r = new Random(3);
        Image a = randomImage(r, 37, 22), b = randomImage(r, 37, 22);
        try (Lpips lpips = Lpips.of(w, "random")) {
            double fast = lpips.distance(a, b);
            double naive = Naive.distance(w, a, b);
            assertEquals(naive, fast, 1e-4 * Math.max(1, naive), "fast " + fast + " naive " + naive);
            assertEquals(0, lpips.distance(a, a), 1e-9);
            assertTrue(fast > 0);
        }
    }

    @Test
    void readsWeightsFromSafetensorsAndRefusesOthers(@TempDir Path dir) {
        Map<String, TensorData> w = randomWeights(8);
        Path file = dir.resolve("lpips.safetensors");
        SafetensorsWriter.write(file, new ArrayList<>(w.values()), Map.of());
        Random r = new Random(4);
        Image a = randomImage(r, 16, 16), b = randomImage(r, 16, 16);
        try (Lpips lpips = Lpips.load(file)) {
            assertEquals(Naive.distance(w, a, b), lpips.distance(a, b), 1e-4);
        }
        w.remove("lin3.weight");
        Path broken = dir.resolve("broken.safetensors");
        SafetensorsWriter.write(broken, new ArrayList<>(w.values()), Map.of());
        WeightsException e = assertThrows(WeightsException.class, () -> Lpips.load(broken));
        assertTrue(e.getMessage().contains("lin3.weight"), e.getMessage());
    }

    /** Plain loops over arrays: conv 3x3 (pad 1) + ReLU, 2x2 max pooling, channel normalisation, weighted mean. */
    static final class Naive {
        static double distance(Map<String, TensorData> w, Image a, Image b) {
            List<double[][][]> fa = features(w, a), fb = features(w, b);
            double total = 0;
            for (int s = 0; s < fa.size(); s++) {
                double[][][] x = fa.get(s), y = fb.get(s);
                float[] lin = w.get("lin" + s + ".weight").values();
                int c = x.length, h = x[0].length, wd = x[0][0].length;
                double sum = 0;
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < wd; j++) {
                        for (int k = 0; k < c; k++) {
                            double d = x[k][i][j] - y[k][i][j];
                            sum += lin[k] * d * d;
                        }
                    }
                }
                total += sum / (h * wd);
            }
            return total;
        }

        static List<double[][][]> features(Map<String, TensorData> w, Image img) {
            int h = img.height(), wd = img.width();
            double[][][] x = new double[3][h][wd];
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < wd; j++) {
                        x[c][i][j] = (img.plane(c)[i * wd + j] * 2.0 - 1.0 - Lpips.SHIFT[c]) / Lpips.SCALE[c];
                    }
                }
            }
            List<double[][][]> out = new ArrayList<>();
            for (int s = 0; s < Lpips.STAGES.length; s++) {
                if (s > 0) {
                    x = maxPool(x);
                }
                for (int index : Lpips.STAGES[s]) {
                    x = convRelu(x, w.get("features." + index + ".weight"), w.get("features." + index + ".bias"));
                }
                out.add(normalise(x));
            }
            return out;
        }

        static double[][][] convRelu(double[][][] x, TensorData weight, TensorData bias) {
            int out = (int) weight.shape()[0], in = x.length, h = x[0].length, wd = x[0][0].length;
            float[] k = weight.values();
            double[][][] y = new double[out][h][wd];
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < wd; j++) {
                        double v = bias.values()[o];
                        for (int c = 0; c < in; c++) {
                            for (int di = -1; di <= 1; di++) {
                                for (int dj = -1; dj <= 1; dj++) {
                                    int ii = i + di, jj = j + dj;
                                    if (ii >= 0 && ii < h && jj >= 0 && jj < wd) {
                                        v += k[((o * in + c) * 3 + di + 1) * 3 + dj + 1] * x[c][ii][jj];
                                    }
                                }
                            }
                        }
                        y[o][i][j] = Math.max(0, v);
                    }
                }
            }
            return y;
        }

        static double[][][] maxPool(double[][][] x) {
            int h = x[0].length / 2, wd = x[0][0].length / 2;
            double[][][] y = new double[x.length][h][wd];
            for (int c = 0; c < x.length; c++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < wd; j++) {
                        y[c][i][j] = Math.max(Math.max(x[c][2 * i][2 * j], x[c][2 * i][2 * j + 1]),
                                Math.max(x[c][2 * i + 1][2 * j], x[c][2 * i + 1][2 * j + 1]));
                    }
                }
            }
            return y;
        }

        static double[][][] normalise(double[][][] x) {
            int h = x[0].length, wd = x[0][0].length;
            double[][][] y = new double[x.length][h][wd];
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < wd; j++) {
                    double n = 0;
                    for (double[][] plane : x) {
                        n += plane[i][j] * plane[i][j];
                    }
                    n = Math.sqrt(n) + 1e-10;
                    for (int c = 0; c < x.length; c++) {
                        y[c][i][j] = x[c][i][j] / n;
                    }
                }
            }
            return y;
        }
    }
}
