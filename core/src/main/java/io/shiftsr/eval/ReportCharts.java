package io.shiftsr.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The report's plots, as PNG bytes: a set's mean PSNR-Y and seconds per image against the step count. */
final class ReportCharts {
    static final int WIDTH = 560;
    static final int HEIGHT = 340;

    private ReportCharts() {}

    static byte[] psnrVsSteps(Evaluation.Report r) {
        return png(chart(r, "PSNR-Y (dB)", Evaluation.Summary::psnrY, "mean PSNR-Y vs steps"));
    }

    static byte[] secondsVsSteps(Evaluation.Report r) {
        return png(chart(r, "seconds per image", Evaluation.Summary::seconds, "seconds per image vs steps"));
    }

    /** One line per process over its step counts; bicubic as a flat line across the same steps. */
    static JFreeChart chart(Evaluation.Report r, String yLabel, ToDoubleFunction<Evaluation.Summary> value,
            String title) {
        Map<String, XYSeries> byProcess = new LinkedHashMap<>();
        int minSteps = Integer.MAX_VALUE, maxSteps = 0;
        Evaluation.Summary bicubic = null;
        for (Evaluation.Setting s : r.settings()) {
            Evaluation.Summary m = r.means().stream().filter(x -> x.setting().equals(s.name())).findFirst()
                    .orElse(null);
            if (m == null) {
                continue;
            }
            if (s.steps() == 0) {
                bicubic = m;
                continue;
            }
            byProcess.computeIfAbsent(s.process(), XYSeries::new).add(s.steps(), value.applyAsDouble(m));
            minSteps = Math.min(minSteps, s.steps());
            maxSteps = Math.max(maxSteps, s.steps());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        byProcess.values().forEach(data::addSeries);
        if (bicubic != null && maxSteps > 0) {
            XYSeries flat = new XYSeries("bicubic");
            flat.add(minSteps, value.applyAsDouble(bicubic));
            flat.add(maxSteps, value.applyAsDouble(bicubic));
            data.addSeries(flat);
        }
        NumberAxis x = new NumberAxis("steps");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        if (maxSteps > 0) {
            x.setRange(minSteps - 0.5, maxSteps + 0.5);
        }
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        Color[] colors = {new Color(200, 60, 30), new Color(30, 110, 190), Color.GRAY};
        for (int i = 0; i < data.getSeriesCount(); i++) {
            boolean isBicubic = data.getSeriesKey(i).equals("bicubic");
            renderer.setSeriesPaint(i, isBicubic ? Color.GRAY : colors[Math.min(i, 1)]);
            renderer.setSeriesStroke(i, isBicubic ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                    1f, new float[] {6f, 4f}, 0f) : new BasicStroke(2f));
            renderer.setSeriesShapesVisible(i, !isBicubic);
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(r.set() + ": " + title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot,
                true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static byte[] png(JFreeChart chart) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
