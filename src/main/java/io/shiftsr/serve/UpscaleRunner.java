package io.shiftsr.serve;

import io.shiftsr.image.Image;
import io.shiftsr.image.ImageFormats;
import io.shiftsr.image.ImageReading;
import io.shiftsr.image.ImageWriting;
import io.shiftsr.image.MatlabBicubic;
import io.shiftsr.inference.DiffusionUpscaler;
import io.shiftsr.inference.UpscaleOptions;
import io.shiftsr.sr.ShiftSrModel;
import java.nio.file.Path;
import java.util.function.DoubleConsumer;

/**
 * Runs jobs with one loaded model (or bicubic). Knows what the model accepts, so requests are checked before
 * they queue. Alpha is dropped: the page shows and downloads RGB. Model output is streamed to the PNG row by
 * row, as {@code shiftsr upscale} does, so a job never holds its output image whole.
 */
public final class UpscaleRunner implements JobRunner {
    private final ShiftSrModel model;
    private final String modelName;
    private final double scaleMin, scaleMax;
    private final long maxPixels;

    /** Serves the scales the model was trained for, at its default step count unless a job asks otherwise. */
    public UpscaleRunner(ShiftSrModel model, String modelName, long maxPixels) {
        this.model = model;
        this.modelName = modelName;
        this.scaleMin = Math.max(1, model.trainedScales().min());
        this.scaleMax = Math.min(4, model.trainedScales().max());
        this.maxPixels = maxPixels;
    }

    /** Throws IllegalArgumentException (a 400) for a request this server cannot do. */
    public void check(JobRequest r) {
        boolean bicubic = r.process().equals("bicubic");
        if (!bicubic) {
            try {
                ShiftSrModel.Process.parse(r.process());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("process must be deltadiff, resshift or bicubic");
            }
        }
        double lo = bicubic ? 1 : scaleMin, hi = bicubic ? 4 : scaleMax;
        if (!(r.scale() > 1 && r.scale() >= lo && r.scale() <= hi)) {
            throw new IllegalArgumentException("scale must be in [" + lo + ", " + hi + "]"
                    + (bicubic ? "" : " for this model"));
        }
        if (!bicubic && (r.steps() < 1 || r.steps() > model.schedule().steps())) {
            throw new IllegalArgumentException("steps must be in 1.." + model.schedule().steps());
        }
    }

    @Override
    public Job.Result run(Path input, Path output, JobRequest r, DoubleConsumer progress) {
        check(r);
        Image lr = ImageReading.read(input, maxPixels).withoutAlpha();
        int outW = MatlabBicubic.outputSize(lr.width(), r.scale());
        int outH = MatlabBicubic.outputSize(lr.height(), r.scale());
        if (r.process().equals("bicubic")) {
            ImageWriting.write(MatlabBicubic.resize(lr, r.scale()).quantize8(), output);
        } else {
            double kappa = model.kappa(ShiftSrModel.Process.parse(r.process()));
            DiffusionUpscaler up = new DiffusionUpscaler(model, new UpscaleOptions(kappa, r.steps(), 0, 0, -1,
                    UpscaleOptions.DEFAULT_MAX_MEMORY));
            double total = (double) up.tileCount(outW, outH) * r.steps();
            int[] calls = {0};
            DiffusionUpscaler.RowStream rows = up.rows(lr, r.scale(), n -> progress.accept(++calls[0] / total));
            ImageWriting.writePngRows(output, outW, outH, 3, rows::row);
        }
        return new Job.Result(output, outW, outH);
    }

    /** What GET /api/info tells the page. */
    public record Info(String model, double scaleMin, double scaleMax, int maxSteps, int defaultSteps,
            long maxPixels, long maxUploadBytes, int queueCapacity, java.util.List<String> formats) {}

    public Info info(long maxUploadBytes, int queueCapacity) {
        return new Info(modelName, scaleMin, scaleMax, model.schedule().steps(), model.defaultSteps(),
                maxPixels, maxUploadBytes, queueCapacity, io.shiftsr.image.ImageFormats.MIME_TYPES);
    }
}
