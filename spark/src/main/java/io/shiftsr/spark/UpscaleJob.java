package io.shiftsr.spark;

import io.shiftsr.image.ImageFormats;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shiftsr-spark}: upscales every image under the inputs (folders walked recursively, globs, a list) on any
 * Hadoop file system, writes each output under the same relative path below --output, and a Parquet table of
 * results (path, output, width, height, scale, ms, status, error) to --results. Runs under spark-submit on any
 * cluster, or locally with --master local[2]. Per image the work is {@link ImageTask}'s; per JVM the model is
 * {@link ExecutorModel}'s.
 */
@Command(name = "shiftsr-spark", mixinStandardHelpOptions = true, version = "shiftsr-spark 0.1.0",
        description = "Upscale images with ShiftSR on Apache Spark.")
public final class UpscaleJob implements Callable<Integer> {
    @Option(names = "--input", required = true, split = ",", paramLabel = "PATH",
            description = "Folders (walked recursively), files or glob patterns, on any Hadoop file system; repeatable.")
    List<String> inputs;

    @Option(names = "--files-from", paramLabel = "PATH", description = "Also a text file listing inputs, one per line.")
    String filesFrom;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Output root.")
    String output;

    @Option(names = "--results", paramLabel = "DIR",
            description = "Parquet results table. Default: OUTPUT/_shiftsr_results.")
    String results;

    @Option(names = "--scale", defaultValue = "4", description = "Upscale factor. Default: ${DEFAULT-VALUE}.")
    double scale;

    @Option(names = "--model", paramLabel = "PATH", description = "Model file (any Hadoop path). Default: the bundled one.")
    String model;

    @Option(names = "--process", defaultValue = "deltadiff", description = "deltadiff or resshift. Default: ${DEFAULT-VALUE}.")
    String process;

    @Option(names = "--steps", defaultValue = "0", description = "Network evaluations; 0 = the model's default.")
    int steps;

    @Option(names = "--denoise", defaultValue = "auto", paramLabel = "LEVEL",
            description = "Compression and noise to remove: auto (a JPEG's quality read from the file), off, low,"
                    + " medium or high. Default: ${DEFAULT-VALUE}.")
    String denoise;

    @Option(names = "--ensemble", defaultValue = "0",
            description = "Self-ensemble members (1, 2, 4 or 8; each a full run); 0 = the model's default.")
    int ensemble;

    @Option(names = "--format", defaultValue = "png", description = "png, jpg or tiff. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--quality", defaultValue = "95", description = "JPEG quality 1-100. Default: ${DEFAULT-VALUE}.")
    int quality;

    @Option(names = "--precision", defaultValue = "auto",
            description = "auto (bf16 where the CPU has it), fp32 or bf16, as shiftsr upscale. Default: ${DEFAULT-VALUE}.")
    String precision;

    @Option(names = "--overwrite", description = "Redo images whose output exists (default: skip them).")
    boolean overwrite;

    @Option(names = "--max-pixels", defaultValue = "100000000", description = "Largest input in pixels. Default: ${DEFAULT-VALUE}.")
    long maxPixels;

    @Option(names = "--max-input-mb", defaultValue = "512", description = "Largest input file. Default: ${DEFAULT-VALUE}.")
    long maxInputMb;

    @Option(names = "--partitions", defaultValue = "0",
            description = "Tasks to spread the images over; 0 = Spark's default parallelism x 4.")
    int partitions;

    @Option(names = "--master", description = "Spark master (spark-submit sets it; ./shiftsr-spark: local[2]).")
    String master;

    public static void main(String[] args) {
        System.exit(new CommandLine(new UpscaleJob()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        if (!ImageFormats.OUTPUTS.contains(format)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--format must be one of "
                    + ImageFormats.OUTPUTS_TEXT);
        }
        if (ensemble != 0 && !io.shiftsr.inference.GeometricEnsemble.isSize(ensemble)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--"
                    + io.shiftsr.inference.GeometricEnsemble.sizeError(ensemble) + " (or 0 for the model's default)");
        }
        try {
            io.shiftsr.sr.Denoise.parse(denoise);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--" + e.getMessage());
        }
        try {
            io.shiftsr.engine.Precision.parse(precision);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--" + e.getMessage());
        }
        SparkSession.Builder b = SparkSession.builder().appName("shiftsr upscale");
        if (master != null) {
            b.master(master);
        }
        SparkSession spark = b.getOrCreate();
        try {
            Summary s = run(spark);
            System.err.printf("shiftsr-spark: %d done, %d skipped, %d errors; results in %s%n",
                    s.done(), s.skipped(), s.errors(), s.results());
            return s.errors() == 0 ? 0 : 1;
        } finally {
            spark.stop();
        }
    }

    record Summary(long done, long skipped, long errors, String results) {}

    Summary run(SparkSession spark) throws IOException {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        List<String> all = new ArrayList<>(inputs);
        if (filesFrom != null) {
            Path list = new Path(filesFrom);
            try (var in = list.getFileSystem(conf).open(list)) {
                for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\\R")) {
                    if (!line.isBlank() && !line.strip().startsWith("#")) {
                        all.add(line.strip());
                    }
                }
            }
        }
        Path out = qualify(new Path(output), conf);
        String resultsDir = results != null ? results : new Path(out, "_shiftsr_results").toString();
        JobSettings settings = new JobSettings(out.toString(), roots(all, conf), scale, model, process, steps, ensemble, format,
                quality, overwrite, maxPixels, maxInputMb << 20, precision, ExecutorModel.serialize(conf), denoise);
        // Spark's binary-file source lists the inputs; only the paths are selected, so no content is read here
        // and the listing can be spread evenly: each task opens its own files (ImageTask).
        Dataset<String> paths = spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                .load(all.toArray(String[]::new)).select("path")
                .filter(functions.lower(functions.col("path")).rlike("\\.(png|jpe?g|bmp|webp|tiff?)$"))
                .as(Encoders.STRING());
        int n = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism() * 4;
        Dataset<ImageResult> done = paths.repartition(n).mapPartitions(new Images(settings),
                Encoders.bean(ImageResult.class));
        done.select("path", "output", "width", "height", "scale", "ms", "status", "error")
                .write().mode(SaveMode.Overwrite).parquet(resultsDir);
        Dataset<Row> table = spark.read().parquet(resultsDir);
        FileSystem fs = out.getFileSystem(conf);
        fs.delete(new Path(out, ImageTask.TEMP_FOLDER), true); // leftovers of killed task attempts
        return new Summary(count(table, "done"), count(table, "skipped"), count(table, "error"), resultsDir);
    }

    /** A task's images, one result each, computed as the results table is written. */
    private record Images(JobSettings settings) implements MapPartitionsFunction<String, ImageResult> {
        @Override
        public java.util.Iterator<ImageResult> call(java.util.Iterator<String> paths) {
            return new java.util.Iterator<>() {
                @Override
                public boolean hasNext() {
                    return paths.hasNext();
                }

                @Override
                public ImageResult next() {
                    return ImageTask.run(paths.next(), settings);
                }
            };
        }
    }

    private static long count(Dataset<Row> t, String status) {
        return t.filter(functions.col("status").equalTo(status)).count();
    }

    /** Qualified folders an input's relative path is taken below: a folder itself, a glob's literal prefix. */
    static String[] roots(List<String> inputs, Configuration conf) throws IOException {
        List<String> roots = new ArrayList<>();
        for (String in : inputs) {
            Path p = new Path(in);
            String s = p.toString();
            int glob = firstGlob(s);
            Path root;
            if (glob >= 0) {
                int slash = s.lastIndexOf('/', glob);
                root = new Path(slash <= 0 ? "/" : s.substring(0, slash));
            } else {
                FileSystem fs = p.getFileSystem(conf);
                root = fs.getFileStatus(p).isDirectory() ? p : p.getParent();
            }
            roots.add(qualify(root, conf).toString());
        }
        roots.sort(Comparator.comparingInt(String::length).reversed());
        return roots.toArray(String[]::new);
    }

    private static int firstGlob(String s) {
        int best = -1;
        for (char c : new char[] {'*', '?', '[', '{'}) {
            int i = s.indexOf(c);
            if (i >= 0 && (best < 0 || i < best)) {
                best = i;
            }
        }
        return best;
    }

    private static Path qualify(Path p, Configuration conf) throws IOException {
        return p.getFileSystem(conf).makeQualified(p);
    }

    /** For tests: the job's own options parsed from arguments. */
    static UpscaleJob parse(String... args) {
        UpscaleJob job = new UpscaleJob();
        new CommandLine(job).parseArgs(args);
        return job;
    }

    @Override
    public String toString() {
        return "UpscaleJob" + Arrays.asList(inputs) + " -> " + output;
    }
}
