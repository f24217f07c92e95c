package io.shiftsr.spark;

import java.io.Serializable;

/**
 * What every task needs to know, shipped to the executors with the closure.
 *
 * @param outputRoot  qualified output folder (any Hadoop file system)
 * @param inputRoots  qualified folders the inputs were found under, longest first: an input keeps its path
 *                    below the longest one that contains it
 * @param model       Hadoop path of a model file, or null for the bundled model
 * @param steps       network evaluations, 0 for the model's default
 * @param ensemble    self-ensemble members (1, 2, 4 or 8), 0 for the model's default
 * @param precision   auto, fp32 or bf16 (io.shiftsr.engine.Precision), as the CLI's --precision
 * @param denoise     auto, off, low, medium or high (io.shiftsr.sr.Denoise), as the CLI's --denoise
 * @param hadoopConf  the driver's Hadoop configuration (Configuration.write), so executors reach the file
 *                    systems with the settings the job was submitted with (spark.hadoop.*, S3 credentials)
 */
record JobSettings(String outputRoot, String[] inputRoots, double scale, String model, String process, int steps,
        int ensemble, String format, int quality, boolean overwrite, long maxPixels, long maxInputBytes, String precision,
        byte[] hadoopConf, String denoise) implements Serializable {
    /** Settings without a denoise choice: auto. */
    JobSettings(String outputRoot, String[] inputRoots, double scale, String model, String process, int steps,
            int ensemble, String format, int quality, boolean overwrite, long maxPixels, long maxInputBytes,
            String precision, byte[] hadoopConf) {
        this(outputRoot, inputRoots, scale, model, process, steps, ensemble, format, quality, overwrite, maxPixels,
                maxInputBytes, precision, hadoopConf, "auto");
    }
}
