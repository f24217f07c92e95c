package io.shiftsr.spark;

import io.shiftsr.sr.DegradationLevel;
import java.io.Serializable;

/**
 * One row of the results table (Parquet): what happened to one input. Status: done, skipped or error. For a done
 * input of a degradation-aware model, denoiseQuality and denoiseFrom say what the model was told about it (the
 * JPEG quality its level stands for, 0 clean, and where that was read from: io.shiftsr.sr.DegradationLevel.Source
 * labels); null otherwise.
 */
public final class ImageResult implements Serializable {
    private String path;
    private String output;
    private Integer width;
    private Integer height;
    private double scale;
    private long ms;
    private String status;
    private String error;
    private Integer denoiseQuality;
    private String denoiseFrom;

    public ImageResult() {
    }

    static ImageResult of(String path, String output, Integer width, Integer height, double scale, long ms,
            String status, String error) {
        return of(path, output, width, height, scale, ms, status, error, null);
    }

    /** A row with what the model was told about the input ({@code told}: null for nothing). */
    static ImageResult of(String path, String output, Integer width, Integer height, double scale, long ms,
            String status, String error, DegradationLevel.Reading told) {
        ImageResult r = new ImageResult();
        r.path = path;
        r.output = output;
        r.width = width;
        r.height = height;
        r.scale = scale;
        r.ms = ms;
        r.status = status;
        r.error = error;
        r.denoiseQuality = told == null ? null : told.quality();
        r.denoiseFrom = told == null ? null : told.source().label();
        return r;
    }

    public String getPath() { return path; }
    public void setPath(String v) { path = v; }
    public String getOutput() { return output; }
    public void setOutput(String v) { output = v; }
    public Integer getWidth() { return width; }
    public void setWidth(Integer v) { width = v; }
    public Integer getHeight() { return height; }
    public void setHeight(Integer v) { height = v; }
    public double getScale() { return scale; }
    public void setScale(double v) { scale = v; }
    public long getMs() { return ms; }
    public void setMs(long v) { ms = v; }
    public String getStatus() { return status; }
    public void setStatus(String v) { status = v; }
    public String getError() { return error; }
    public void setError(String v) { error = v; }
    public Integer getDenoiseQuality() { return denoiseQuality; }
    public void setDenoiseQuality(Integer v) { denoiseQuality = v; }
    public String getDenoiseFrom() { return denoiseFrom; }
    public void setDenoiseFrom(String v) { denoiseFrom = v; }
}
