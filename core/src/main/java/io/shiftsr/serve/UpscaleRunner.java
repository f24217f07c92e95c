package io.shiftsr.serve;

import io.shiftsr.ShiftSr;
import io.shiftsr.image.ImageFormats;
import io.shiftsr.image.ImageReading;
import io.shiftsr.image.ImageWriting;
import io.shiftsr.sr.DegradationLevel;
import io.shiftsr.sr.Denoise;
import io.shiftsr.sr.ShiftSrModel;
import java.nio.file.Path;
import java.util.List;
import java.util.function.DoubleConsumer;

/**
 * Runs jobs through the public facade with one loaded model (or bicubic). Knows what the model accepts, so
 * requests are checked before they queue. Results keep what the upload had (alpha, gray, 16 bits in PNG/TIFF,
 * ICC profile and EXIF); an 8-bit PNG result streams from the tiles to the file, as {@code shiftsr upscale}
 * does, so a job never holds its output image whole.
 */
public final class UpscaleRunner implements JobRunner {
    private final ShiftSr sr;
    private final ShiftSrModel model;
    private final double scaleMin, scaleMax;
    private final long maxPixels;

    /** Serves the scales the model was trained for, at its default step count unless a job asks otherwise. */
    public UpscaleRunner(ShiftSr sr, long maxPixels) {
        this.sr = sr;
        this.model = sr.model();
        this.scaleMin = Math.max(1, model.trainedScales().min());
        this.scaleMax = Math.min(io.shiftsr.sr.Sampling.MAX_SCALE, model.trainedScales().max());
        this.maxPixels = maxPixels;
    }

    /** Throws IllegalArgumentException (a 400) for a request this server cannot do. */
    public void check(JobRequest r) {
        view(r);
    }

    /**
     * The facade at the request's settings: the request maps onto ShiftSr.Settings and the model checks it
     * (steps, ensemble); the scale must be one this server offers, the format one it writes.
     */
    private ShiftSr view(JobRequest r) {
        ShiftSrModel.Process process = ShiftSrModel.Process.parse(r.process());
        boolean bicubic = !process.diffusion();
        double lo = bicubic ? 1 : scaleMin, hi = bicubic ? io.shiftsr.sr.Sampling.MAX_SCALE : scaleMax;
        if (!(r.scale() > 1 && r.scale() >= lo && r.scale() <= hi)) {
            throw new IllegalArgumentException("scale must be in [" + lo + ", " + hi + "]"
                    + (bicubic ? "" : " for this model"));
        }
        if (!ImageFormats.OUTPUTS.contains(r.format())) {
            throw new IllegalArgumentException("format must be one of " + ImageFormats.OUTPUTS_TEXT);
        }
        Denoise denoise = Denoise.parse(r.denoise()); // its own message, which names every choice
        // the form's steps and ensemble take 0 for the model's default; the model checks the rest
        if (r.steps() < 0 || r.ensemble() < 0) {
            throw new IllegalArgumentException("steps and ensemble must be >= 0 (0: the model's default)");
        }
        try {
            return sr.with(ShiftSr.Settings.DEFAULT.withProcess(process).withSteps(r.steps())
                    .withEnsemble(r.ensemble()).withDenoise(denoise));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (0: the model's default)");
        }
    }

    @Override
    public Job.Result run(Path input, Path output, JobRequest r, DoubleConsumer progress) {
        ShiftSr view = view(r);
        int[] dims = ImageReading.dimensions(input);
        double total = Math.max(1, view.networkCalls(dims[0], dims[1], r.scale()));
        int[] calls = {0};
        DegradationLevel.Reading told = view.upscale(input, output, r.scale(), ImageWriting.DEFAULT_JPEG_QUALITY,
                maxPixels, n -> progress.accept(++calls[0] / total));
        int[] size = ShiftSr.outputSize(dims[0], dims[1], r.scale());
        return new Job.Result(output, size[0], size[1], told);
    }

    /** What GET /api/info tells the page. */
    public record Info(String model, double scaleMin, double scaleMax, int maxSteps, int defaultSteps,
            int defaultEnsemble, long maxPixels, long maxUploadBytes, int queueCapacity, List<String> formats,
            List<String> outputFormats) {}

    public Info info(long maxUploadBytes, int queueCapacity) {
        return new Info(sr.name(), scaleMin, scaleMax, model.schedule().steps(), model.defaultSteps(),
                model.defaultEnsemble(), maxPixels, maxUploadBytes, queueCapacity, ImageFormats.MIME_TYPES, ImageFormats.OUTPUTS);
    }
}
