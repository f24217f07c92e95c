package io.shiftsr.train;

import io.shiftsr.io.AtomicFiles;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Renders a {@link TrainingLog} as a PNG: loss on top, validation PSNR-Y (model vs bicubic) below. */
final class TrainingPlot {
    static final int WIDTH = 1000;
    static final int HEIGHT = 600;
    private static final Color LOSS_RAW = new Color(70, 130, 200, 90);
    private static final Color LOSS_AVG = new Color(20, 60, 140);
    private static final Color MODEL = new Color(200, 60, 30);
    private static final Color BICUBIC = Color.GRAY;

    private TrainingPlot() {
    }

    static void write(List<LogRow> rows, Path png) {
        JFreeChart chart = chart(rows);
        try {
            AtomicFiles.write(png, out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the training plot " + png + ": " + e.getMessage(), e);
        }
    }

    static JFreeChart chart(List<LogRow> rows) {
        NumberAxis stepAxis = new NumberAxis("step");
        stepAxis.setAutoRangeIncludesZero(false);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(stepAxis);
        plot.setGap(10);
        plot.add(lossPlot(rows), 3);
        plot.add(psnrPlot(rows), 2);
        return new JFreeChart("ShiftSR training", new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
    }

    private static XYPlot lossPlot(List<LogRow> rows) {
        XYSeries loss = new XYSeries("loss", false, true);
        boolean allPositive = true;
        for (LogRow r : rows) {
            if (r.isTrain() && Double.isFinite(r.loss())) {
                loss.add(r.step(), r.loss());
                allPositive &= r.loss() > 0;
            }
        }
        XYSeriesCollection data = new XYSeriesCollection(loss);
        data.addSeries(movingAverage(loss, Math.max(1, Math.min(200, loss.getItemCount() / 20))));
        // Losses span decades: log scale when it can be drawn (empty or non-positive data cannot).
        ValueAxis y;
        if (allPositive && loss.getItemCount() > 0) {
            LogAxis log = new LogAxis("loss");
            log.setAutoRangeMinimumSize(1e-12);
            log.setNumberFormatOverride(new ThreeDigits()); // "0.316" reads better than "10^-0.5"
            y = log;
        } else {
            NumberAxis lin = new NumberAxis("loss");
            lin.setAutoRangeIncludesZero(false);
            y = lin;
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setSeriesPaint(0, LOSS_RAW);
        renderer.setSeriesPaint(1, LOSS_AVG);
        renderer.setSeriesStroke(1, new BasicStroke(2f));
        // One lone point has no line to draw: show it as a shape.
        renderer.setSeriesShapesVisible(0, loss.getItemCount() == 1);
        return new XYPlot(data, null, y, renderer);
    }

    private static XYPlot psnrPlot(List<LogRow> rows) {
        XYSeries model = new XYSeries("PSNR-Y model", false, true);
        XYSeries bicubic = new XYSeries("PSNR-Y bicubic", false, true);
        double bicubicPsnr = Double.NaN;
        long minStep = Long.MAX_VALUE;
        long maxStep = Long.MIN_VALUE;
        for (LogRow r : rows) {
            minStep = Math.min(minStep, r.step());
            maxStep = Math.max(maxStep, r.step());
            if (r.isValidation() && Double.isFinite(r.psnrY())) {
                model.add(r.step(), r.psnrY());
            }
            if (r.isValidation() && Double.isFinite(r.bicubicPsnrY())) {
                bicubicPsnr = r.bicubicPsnrY(); // same validation set every time: the latest value is the value
            }
        }
        if (Double.isFinite(bicubicPsnr)) {
            // A reference level across the whole run, not a curve.
            bicubic.add(minStep, bicubicPsnr);
            bicubic.add(maxStep, bicubicPsnr);
        }
        XYSeriesCollection data = new XYSeriesCollection(model);
        data.addSeries(bicubic);
        NumberAxis y = new NumberAxis("PSNR-Y (dB)");
        y.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setSeriesPaint(0, MODEL);
        renderer.setSeriesShapesVisible(0, true);
        renderer.setSeriesPaint(1, BICUBIC);
        renderer.setSeriesStroke(1, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f));
        return new XYPlot(data, null, y, renderer);
    }

    /** Formats tick values with three significant digits (%.3g). */
    private static final class ThreeDigits extends NumberFormat {
        @Override
        public StringBuffer format(double v, StringBuffer to, FieldPosition pos) {
            return to.append(String.format(Locale.ROOT, "%.3g", v));
        }

        @Override
        public StringBuffer format(long v, StringBuffer to, FieldPosition pos) {
            return format((double) v, to, pos);
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            throw new UnsupportedOperationException("format only");
        }
    }

    /** Trailing mean over the last window points. */
    static XYSeries movingAverage(XYSeries s, int window) {
        XYSeries avg = new XYSeries("loss (moving average, " + window + ")", false, true);
        double sum = 0;
        for (int i = 0; i < s.getItemCount(); i++) {
            sum += s.getY(i).doubleValue();
            if (i >= window) {
                sum -= s.getY(i - window).doubleValue();
            }
            avg.add(s.getX(i), sum / Math.min(i + 1, window));
        }
        return avg;
    }
}
