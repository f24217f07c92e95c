package io.shiftsr.eval;

import java.util.Locale;
import io.shiftsr.image.ImageWriting;
import java.util.Base64;
import java.util.List;

/**
 * The report as one self-contained page (index.html): every image and plot is inlined as a data URI so the
 * file can be mailed or archived alone. Per set: mean table, PSNR and time plots, zoomed crops, per-image table.
 */
public final class HtmlReport {
    /** Display size of one crop on the page; crops are upscaled by the browser with pixelated rendering. */
    static final int CROP_DISPLAY_PX = 192;

    private HtmlReport() {}

    /** The page; {@code against} (may be null) adds the comparison with an earlier report at the end. */
    public static String render(String title, List<Evaluation.Result> results, String note,
            ReportComparison.Result against) {
        StringBuilder sb = new StringBuilder(1 << 16);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>").append(esc(title))
                .append("</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1400px}\n")
                .append("table{border-collapse:collapse;margin:8px 0 16px}th,td{border:1px solid #ccc;padding:3px 8px}")
                .append("td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f2f2f2}\n")
                .append("tr.best td{font-weight:bold}.plots img{margin-right:12px;border:1px solid #ddd}\n")
                .append(".crops{display:flex;flex-wrap:wrap;gap:6px;margin-bottom:14px}")
                .append(".crops figure{margin:0;width:").append(CROP_DISPLAY_PX).append("px}.crops img{width:").append(CROP_DISPLAY_PX).append("px;height:")
                .append(CROP_DISPLAY_PX).append("px;image-rendering:pixelated;display:block}")
                .append("figcaption{font-size:12px;text-align:center}.note{color:#555}\n</style></head><body>\n");
        sb.append("<h1>").append(esc(title)).append("</h1>\n<p class=\"note\">").append(esc(note)).append("</p>\n");
        for (Evaluation.Result res : results) {
            section(sb, res);
        }
        if (against != null) {
            comparison(sb, against);
        }
        sb.append("</body></html>\n");
        return sb.toString();
    }

    private static void section(StringBuilder sb, Evaluation.Result res) {
        Evaluation.Report r = res.report();
        boolean hasLpips = r.means().stream().anyMatch(m -> m.lpips() != null);
        sb.append("<section><h2>").append(esc(r.set())).append(" &times;").append(Evaluation.fmtScale(r.scale()))
                .append(" (").append(r.images().size()).append(" images)</h2>\n");
        if (!hasLpips) {
            sb.append("<p class=\"note\">LPIPS: not available (no LPIPS weights given).</p>\n");
        }
        double base = Evaluation.bicubicPsnr(r);
        double best = r.means().stream().mapToDouble(Evaluation.Summary::psnrY).max().orElse(Double.NaN);
        sb.append("<table class=\"means\"><tr><th>setting</th><th>PSNR-Y (dB)</th><th>vs bicubic</th><th>SSIM-Y</th>");
        if (hasLpips) {
            sb.append("<th>LPIPS</th>");
        }
        sb.append("<th>s / image</th></tr>\n");
        for (Evaluation.Summary m : r.means()) {
            sb.append(m.psnrY() == best ? "<tr class=\"best\">" : "<tr>").append("<td>").append(esc(m.setting()))
                    .append("</td>").append(num(m.psnrY(), 4)).append("<td class=\"n\">")
                    .append(m.setting().equals("bicubic") ? "" : String.format(Locale.ROOT, "%+.2f", m.psnrY() - base))
                    .append("</td>").append(num(m.ssimY(), 4));
            if (hasLpips) {
                sb.append(m.lpips() == null ? "<td></td>" : num(m.lpips(), 4));
            }
            sb.append(num(m.seconds(), 2)).append("</tr>\n");
        }
        sb.append("</table>\n<div class=\"plots\">");
        img(sb, ReportCharts.psnrVsSteps(r), "PSNR-Y vs steps", ReportCharts.WIDTH);
        img(sb, ReportCharts.secondsVsSteps(r), "seconds vs steps", ReportCharts.WIDTH);
        sb.append("</div>\n");
        if (!res.crops().isEmpty()) {
            sb.append("<h3>Crops</h3><p class=\"note\">Same region in every output, chosen where the settings differ"
                    + " most; shown enlarged with square pixels.</p>\n");
            for (Evaluation.Crops c : res.crops()) {
                sb.append("<div class=\"crops\" data-image=\"").append(esc(c.image())).append("\">");
                for (int i = 0; i < c.tiles().size(); i++) {
                    sb.append("<figure>");
                    img(sb, ImageWriting.pngBytes(c.tiles().get(i)), c.labels().get(i), -1);
                    sb.append("<figcaption>").append(esc(c.image())).append(": ").append(esc(c.labels().get(i)))
                            .append(caption(r, c.image(), c.labels().get(i))).append("</figcaption></figure>");
                }
                sb.append("</div>\n");
            }
        }
        sb.append("<h3>Per image</h3><table class=\"images\"><tr><th>image</th>");
        r.means().forEach(m -> sb.append("<th>").append(esc(m.setting())).append("</th>"));
        sb.append("</tr>\n");
        for (String image : r.images()) {
            sb.append("<tr><td>").append(esc(image)).append("</td>");
            for (Evaluation.Summary m : r.means()) {
                sb.append(Evaluation.score(r, image, m.setting())
                        .map(s -> String.format(Locale.ROOT, "<td class=\"n\">%.2f / %.4f</td>", s.psnrY(), s.ssimY()))
                        .orElse("<td></td>"));
            }
            sb.append("</tr>\n");
        }
        sb.append("</table></section>\n");
    }

    /** The --against table: each setting's PSNR-Y now minus in the earlier report, image by image. */
    private static void comparison(StringBuilder sb, ReportComparison.Result c) {
        sb.append("<section><h2>Against ").append(esc(c.against())).append("</h2>\n<p class=\"note\">PSNR-Y now minus")
                .append(" then, per image.</p>\n<table class=\"against\"><tr><th>set</th><th>setting</th><th>images</th>")
                .append("<th>mean</th><th>median</th><th>ahead</th><th>behind</th><th>worst</th><th>best</th></tr>\n");
        for (ReportComparison.Row row : c.rows()) {
            sb.append("<tr><td>").append(esc(row.set())).append("</td><td>").append(esc(row.setting()))
                    .append(String.format(Locale.ROOT, "</td><td class=\"n\">%d</td><td class=\"n\">%+.4f</td>"
                            + "<td class=\"n\">%+.4f</td><td class=\"n\">%d</td><td class=\"n\">%d</td>"
                            + "<td class=\"n\">%+.4f</td><td class=\"n\">%+.4f</td></tr>%n", row.images(), row.meanDelta(),
                            row.medianDelta(), row.ahead(), row.behind(), row.worst(), row.best()));
        }
        sb.append("</table>\n");
        for (String n : c.notes()) {
            sb.append("<p class=\"note\">").append(esc(n)).append("</p>\n");
        }
        sb.append("</section>\n");
    }

    private static String caption(Evaluation.Report r, String image, String setting) {
        return Evaluation.score(r, image, setting).map(s -> String.format(Locale.ROOT, " (%.2f dB)", s.psnrY())).orElse("");
    }

    private static void img(StringBuilder sb, byte[] png, String alt, int width) {
        sb.append("<img alt=\"").append(esc(alt)).append('"');
        if (width > 0) {
            sb.append(" width=\"").append(width).append('"');
        }
        sb.append(" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png)).append("\">");
    }

    private static String num(double v, int digits) {
        return "<td class=\"n\">" + String.format(Locale.ROOT, "%." + digits + "f", v) + "</td>";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
