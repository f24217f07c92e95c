package io.shiftsr.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * This evaluation against an earlier report of the same sets, image by image: a change is real when it is ahead
 * on most images of every set, not when it moves a mean of 8 by 0.05 dB. Images are paired by set, setting and
 * name; a set is compared only when bicubic scores the same on every image in both reports (else its LR or HR
 * differ, and so would every figure).
 */
public final class ReportComparison {
    /** Bicubic PSNR-Y of one image may differ by this much between two runs on the same files (it does not). */
    static final double SAME_BICUBIC = 1e-6;

    /** One setting of one set: PSNR-Y now minus before, over the images both scored. */
    public record Row(String set, String setting, int images, double meanDelta, double medianDelta, int ahead,
            int behind, double worst, double best) {}

    /** Every row, and what could not be compared and why. */
    public record Result(String against, List<Row> rows, List<String> notes) {}

    private ReportComparison() {}

    /** PSNR-Y by set, setting and image, from this run's reports. */
    public static Map<String, Map<String, Map<String, Double>>> table(List<Evaluation.Report> reports) {
        Map<String, Map<String, Map<String, Double>>> t = new LinkedHashMap<>();
        for (Evaluation.Report r : reports) {
            Map<String, Map<String, Double>> set = t.computeIfAbsent(r.set(), k -> new LinkedHashMap<>());
            for (Evaluation.Score s : r.scores()) {
                set.computeIfAbsent(s.setting(), k -> new LinkedHashMap<>()).put(s.image(), s.psnrY());
            }
        }
        return t;
    }

    /**
     * The same table from a report.json that {@code shiftsr eval} wrote (or the folder holding it); reads only
     * sets[].set and sets[].scores[].{image, setting, psnrY}, so reports of older releases serve too.
     */
    public static Map<String, Map<String, Map<String, Double>>> read(Path report) throws IOException {
        Path file = Files.isDirectory(report) ? report.resolve("report.json") : report;
        String refusal = io.shiftsr.io.RegularFiles.refusal(file, "a report");
        if (refusal != null) {
            throw new IOException(refusal);
        }
        JsonNode root = new ObjectMapper().readTree(Files.readAllBytes(file)); // NIO: a missing file says so
        JsonNode sets = root == null ? null : root.get("sets");
        if (sets == null || !sets.isArray()) {
            throw new IOException("not a report of shiftsr eval (no \"sets\" list)");
        }
        Map<String, Map<String, Map<String, Double>>> t = new LinkedHashMap<>();
        for (JsonNode set : sets) {
            JsonNode name = set.get("set"), scores = set.get("scores");
            if (name == null || scores == null || !scores.isArray()) {
                throw new IOException("not a report of shiftsr eval (a set without \"set\" or \"scores\")");
            }
            Map<String, Map<String, Double>> bySetting = t.computeIfAbsent(name.asText(), k -> new LinkedHashMap<>());
            for (JsonNode s : scores) {
                JsonNode image = s.get("image"), setting = s.get("setting"), psnr = s.get("psnrY");
                if (image == null || setting == null || psnr == null || !psnr.isNumber()) {
                    throw new IOException("not a report of shiftsr eval (a score without image, setting or psnrY)");
                }
                bySetting.computeIfAbsent(setting.asText(), k -> new LinkedHashMap<>()).put(image.asText(),
                        psnr.asDouble());
            }
        }
        return t;
    }

    /** {@code now} against {@code before}, set by set and setting by setting (bicubic left out: it is the check). */
    public static Result compare(Map<String, Map<String, Map<String, Double>>> now,
            Map<String, Map<String, Map<String, Double>>> before, String against) {
        List<Row> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (var set : now.entrySet()) {
            Map<String, Map<String, Double>> old = before.get(set.getKey());
            if (old == null) {
                notes.add(set.getKey() + ": not in the earlier report");
                continue;
            }
            String mismatch = bicubicMismatch(set.getValue().get("bicubic"), old.get("bicubic"));
            if (mismatch != null) {
                notes.add(set.getKey() + ": " + mismatch + ", so the sets are not the same images; not compared");
                continue;
            }
            for (var setting : set.getValue().entrySet()) {
                if (setting.getKey().equals("bicubic")) {
                    continue;
                }
                Map<String, Double> was = old.get(setting.getKey());
                if (was == null) {
                    notes.add(set.getKey() + " " + setting.getKey() + ": not in the earlier report");
                    continue;
                }
                List<Double> d = new ArrayList<>();
                setting.getValue().forEach((image, psnr) -> {
                    if (was.containsKey(image)) {
                        d.add(psnr - was.get(image));
                    }
                });
                if (!d.isEmpty()) {
                    rows.add(row(set.getKey(), setting.getKey(), d));
                }
            }
        }
        return new Result(against, rows, notes);
    }

    /** Why bicubic says the two sets differ, or null when it scores every shared image the same. */
    private static String bicubicMismatch(Map<String, Double> now, Map<String, Double> before) {
        if (now == null || before == null) {
            return "bicubic is missing from " + (now == null ? "this run" : "the earlier report");
        }
        int shared = 0, differ = 0;
        for (var e : now.entrySet()) {
            Double b = before.get(e.getKey());
            if (b != null) {
                shared++;
                if (!(Math.abs(e.getValue() - b) <= SAME_BICUBIC)) {
                    differ++;
                }
            }
        }
        if (shared == 0) {
            return "no image in both";
        }
        return differ == 0 ? null : "bicubic scores " + differ + " of " + shared + " images differently";
    }

    private static Row row(String set, String setting, List<Double> deltas) {
        double[] d = deltas.stream().mapToDouble(Double::doubleValue).toArray();
        double sum = 0, worst = Double.POSITIVE_INFINITY, best = Double.NEGATIVE_INFINITY;
        int ahead = 0, behind = 0;
        for (double v : d) {
            sum += v;
            worst = Math.min(worst, v);
            best = Math.max(best, v);
            ahead += v > 0 ? 1 : 0;
            behind += v < 0 ? 1 : 0;
        }
        return new Row(set, setting, d.length, sum / d.length, Evaluation.median(d), ahead, behind, worst, best);
    }

    /** The rows as a Markdown table, with the totals of images ahead and behind, and the notes. */
    public static String markdown(Result r) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "Against %s (PSNR-Y now minus then, per image):%n%n", r.against()));
        sb.append("| set | setting | images | mean | median | ahead | behind | worst | best |\n")
                .append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        int images = 0, ahead = 0, behind = 0;
        for (Row row : r.rows()) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %+.4f | %+.4f | %d | %d | %+.4f | %+.4f |%n",
                    row.set(), row.setting(), row.images(), row.meanDelta(), row.medianDelta(), row.ahead(),
                    row.behind(), row.worst(), row.best()));
            images += row.images();
            ahead += row.ahead();
            behind += row.behind();
        }
        sb.append(String.format(Locale.ROOT, "%nIn all: ahead on %d, behind on %d of %d image scores.%n", ahead,
                behind, images));
        r.notes().forEach(n -> sb.append("- ").append(n).append('\n'));
        return sb.toString();
    }
}
