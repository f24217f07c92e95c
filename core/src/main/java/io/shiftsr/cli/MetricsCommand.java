package io.shiftsr.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.shiftsr.image.Degradation;
import io.shiftsr.image.Image;
import io.shiftsr.image.ImageException;
import io.shiftsr.image.ImageReading;
import io.shiftsr.image.InputFiles;
import io.shiftsr.io.AtomicFiles;
import io.shiftsr.metrics.ImageMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shiftsr metrics}: PSNR/SSIM of SR images against HR (DESIGN.md section 7). */
@Command(name = "metrics",
        description = {"Score super-resolved images against high-resolution ones.",
                "PSNR and SSIM on Y (MATLAB rgb2ycbcr) and PSNR on RGB, 8-bit, with --border",
                "pixels cropped on each side.",
                "Files are paired by base name (extensions may differ). The last line is",
                "'mean psnr_y=... ssim_y=... n=...'."})
final class MetricsCommand extends BaseCommand {
    @Option(names = "--sr", required = true, paramLabel = "PATH", arity = "1..*",
            description = "Super-resolved images: folder(s), files or glob patterns.")
    List<String> sr;

    @Option(names = "--hr", required = true, paramLabel = "PATH", arity = "1..*",
            description = "Ground-truth images: folder(s), files or glob patterns.")
    List<String> hr;

    @Option(names = {"-s", "--scale"}, defaultValue = "4", paramLabel = "S",
            description = "Scale the SR images were made at: HR is mod-cropped to it. Default: ${DEFAULT-VALUE}.")
    int scale;

    @Option(names = "--border", paramLabel = "N",
            description = "Pixels cropped on each side before scoring. Default: the scale.")
    Integer border;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write per-image and mean figures as JSON;"
            + " an existing FILE is kept unless --overwrite.")
    Path json;

    @Option(names = "--overwrite", description = "Replace an existing --json file.")
    boolean overwrite;

    @Option(names = "--max-pixels", paramLabel = "N", defaultValue = "100000000",
            description = "Refuse images larger than N pixels. Default: ${DEFAULT-VALUE}.")
    long maxPixels;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar or summary; the table and errors still print.")
    boolean quiet;

    @Override
    protected int run() throws IOException {
        if (scale < 1) {
            usageError("--scale must be >= 1, got " + scale);
        }
        int b = border == null ? scale : border;
        if (b < 0) {
            usageError("--border must be >= 0, got " + b);
        }
        List<Path> srFiles = InputFiles.listInputs(sr);
        List<Path> hrFiles = InputFiles.listInputs(hr);
        if (json != null) { // before scoring: a refused output costs nothing
            List<Path> inputs = new ArrayList<>(srFiles);
            inputs.addAll(hrFiles);
            OutputGuard.check(json, inputs, overwrite);
            Path parent = json.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new CliException(ExitCode.IO_ERROR, json + ": folder does not exist");
            }
        }
        // The one pairing rule: a base name shared by two SR or two HR files is an error, not a silent choice.
        io.shiftsr.data.PairedImages.byBaseName(srFiles);
        Map<String, Path> hrByName = io.shiftsr.data.PairedImages.byBaseName(hrFiles);

        Map<String, ImageMetrics> results = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        Batch batch = new Batch("metrics", quiet, debug, err());
        int code = batch.run(srFiles, srPath -> {
            String name = InputFiles.baseName(srPath);
            try {
                results.put(name, score(srPath, hrByName.get(name), b));
            } catch (ImageException | IllegalArgumentException e) {
                errors.put(name, e.getMessage());
                throw e;
            }
            return Batch.Outcome.DONE;
        });

        printTable(results);
        if (json != null) {
            writeJson(results, errors, b);
        }
        batch.summary(srFiles.size(), "scored");
        return code;
    }

    private ImageMetrics score(Path srPath, Path hrPath, int b) {
        if (hrPath == null) {
            throw new ImageException(srPath + ": no HR image with the same base name");
        }
        Image srImg = ImageReading.read(srPath, maxPixels);
        Image hrImg = ImageReading.read(hrPath, maxPixels);
        try {
            // SR of a mod-cropped LR is smaller than an HR whose size is not a multiple of the scale.
            Image[] pair = io.shiftsr.data.PairedImages.aligned(srImg, hrImg, scale);
            return ImageMetrics.of(pair[0], pair[1], b);
        } catch (IllegalArgumentException e) {
            throw new ImageException(srPath + ": " + e.getMessage());
        }
    }

    private void printTable(Map<String, ImageMetrics> results) {
        if (results.isEmpty()) {
            return; // nothing scored: the errors on stderr say why
        }
        int width = Math.max(4, results.keySet().stream().mapToInt(String::length).max().orElse(4));
        String row = "%-" + width + "s  %9s  %7s  %9s%n";
        out().printf(Locale.ROOT, row, "name", "psnr_y", "ssim_y", "psnr_rgb");
        for (Map.Entry<String, ImageMetrics> e : results.entrySet()) {
            ImageMetrics m = e.getValue();
            out().printf(Locale.ROOT, row, e.getKey(), fmt(m.psnrY()), fmt(m.ssimY()), fmt(m.psnrRgb()));
        }
        ImageMetrics mean = mean(results);
        out().printf(Locale.ROOT, "mean psnr_y=%.4f ssim_y=%.4f n=%d%n", mean.psnrY(), mean.ssimY(), results.size());
        out().flush();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    static ImageMetrics mean(Map<String, ImageMetrics> results) {
        double p = 0;
        double s = 0;
        double r = 0;
        for (ImageMetrics m : results.values()) {
            p += m.psnrY();
            s += m.ssimY();
            r += m.psnrRgb();
        }
        int n = results.size();
        return new ImageMetrics(p / n, s / n, r / n);
    }

    private void writeJson(Map<String, ImageMetrics> results, Map<String, String> errors, int b) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("metric", "PSNR/SSIM on Y (BT.601, MATLAB rgb2ycbcr), PSNR on RGB; 8-bit; SSIM 11x11 Gaussian sigma 1.5");
        doc.put("sr", sr);
        doc.put("hr", hr);
        doc.put("scale", scale);
        doc.put("border", b);
        doc.put("n", results.size());
        if (!results.isEmpty()) {
            doc.put("mean", figures(mean(results)));
        }
        Map<String, Object> images = new LinkedHashMap<>();
        results.forEach((k, v) -> images.put(k, figures(v)));
        doc.put("images", images);
        doc.put("errors", errors);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path target = json.toAbsolutePath();
        if (target.getParent() != null && !Files.isDirectory(target.getParent())) {
            throw new CliException(ExitCode.IO_ERROR, json + ": folder does not exist");
        }
        try {
            AtomicFiles.write(target, out -> mapper.writeValue(new NonClosing(out), doc));
        } catch (IOException e) {
            throw new CliException(ExitCode.IO_ERROR, json + ": cannot write (" + e.getMessage() + ")");
        }
    }

    private static Map<String, Object> figures(ImageMetrics m) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("psnr_y", m.psnrY());
        f.put("ssim_y", m.ssimY());
        f.put("psnr_rgb", m.psnrRgb());
        return f;
    }

    /** Jackson closes the stream it writes to; AtomicFiles closes it itself after a successful write. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(java.io.OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
