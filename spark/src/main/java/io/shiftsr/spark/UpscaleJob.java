package io.shiftsr.spark;

import io.shiftsr.cli.OptionConverters;
import io.shiftsr.engine.Precision;
import io.shiftsr.image.ImageFormats;
import io.shiftsr.sr.Denoise;
import io.shiftsr.sr.ShiftSrModel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import scala.Tuple2;

/**
 * {@code shiftsr-spark}: upscales every image under the inputs (folders walked recursively, globs, a list) on any
 * Hadoop file system, writes each output under the same relative path below --output, and a Parquet table of
 * results (path, output, width, height, scale, ms, status, error, and denoiseQuality and denoiseFrom: what the
 * model was told about the input, see {@link ImageResult}) to --results. Runs under spark-submit on any cluster, or
 * locally with --master local[2]. Per image the work is {@link ImageTask}'s; per JVM the model is
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

    @Option(names = "--process", defaultValue = "deltadiff", converter = OptionConverters.ProcessConverter.class,
            description = "deltadiff, resshift or bicubic. Default: ${DEFAULT-VALUE}.")
    ShiftSrModel.Process process;

    @Option(names = "--steps", defaultValue = "0", description = "Network evaluations; 0 = the model's default.")
    int steps;

    @Option(names = "--denoise", defaultValue = "auto", paramLabel = "LEVEL",
            converter = OptionConverters.DenoiseConverter.class,
            description = "Compression and noise to remove: auto (a JPEG's quality, read from the file or seen in the"
                    + " pixels of a former JPEG), off, low,"
                    + " medium or high. Default: ${DEFAULT-VALUE}.")
    Denoise denoise;

    @Option(names = "--ensemble", defaultValue = "0",
            description = "Self-ensemble members (1, 2, 4 or 8; each a full run); 0 = the model's default.")
    int ensemble;

    @Option(names = "--format", defaultValue = "png", description = "png, jpg or tiff. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--quality", defaultValue = "95", description = "JPEG quality 1-100. Default: ${DEFAULT-VALUE}.")
    int quality;

    @Option(names = "--precision", defaultValue = "auto", converter = OptionConverters.PrecisionConverter.class,
            description = "auto (bf16 where the CPU has it), fp32 or bf16, as shiftsr upscale. Default: ${DEFAULT-VALUE}.")
    Precision precision;

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
        if (ensemble != 0 && !io.shiftsr.sr.Sampling.isEnsembleSize(ensemble)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--"
                    + io.shiftsr.sr.Sampling.ensembleError(ensemble) + " (or 0 for the model's default)");
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
        JobSettings settings = new JobSettings(out.toString(), roots(all, conf), scale, model, process.id(), steps, ensemble,
                format, quality, overwrite, maxPixels, maxInputMb << 20, precision.name().toLowerCase(java.util.Locale.ROOT),
                ExecutorModel.serialize(conf), denoise.label());
        // Spark's binary-file source lists the inputs; only the paths are selected, so no content is read here
        // and the listing can be spread evenly: each task opens its own files (ImageTask).
        Dataset<String> paths = spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                .load(all.toArray(String[]::new)).select("path")
                .filter(functions.lower(functions.col("path")).rlike(IMAGE_NAMES))
                .as(Encoders.STRING());
        // An output folder inside an input folder: its files are this job's outputs, never its inputs (a rerun
        // would upscale them again, one level deeper each time).
        String outPrefix = out.toString() + "/";
        if (Arrays.stream(settings.inputRoots()).anyMatch(r -> !r.equals(out.toString()) && outPrefix.startsWith(r + "/"))) {
            paths = paths.filter(functions.not(functions.col("path").startsWith(outPrefix))).as(Encoders.STRING());
        }
        // The binary-file source skips links whose target is gone; the job reports them as the CLI does.
        List<String> dangling = danglingLinks(settings.inputRoots());
        if (!dangling.isEmpty()) {
            paths = paths.union(spark.createDataset(dangling, Encoders.STRING()));
        }
        // Inputs that map to one output (a.png, a.jpg): the first by path is upscaled, the others are error rows,
        // as in the CLI.
        Dataset<Row> planned = paths.map((MapFunction<String, Tuple2<String, String>>) in ->
                new Tuple2<>(in, ImageTask.outputOf(in, settings).toString()),
                Encoders.tuple(Encoders.STRING(), Encoders.STRING())).toDF("path", "output");
        WindowSpec byOutput = Window.partitionBy("output").orderBy("path");
        Dataset<Row> tasks = planned.withColumn("first", functions.first("path").over(byOutput))
                .select("path", "first");
        int n = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism() * 4;
        Dataset<ImageResult> done = tasks.repartition(n).mapPartitions(new Images(settings),
                Encoders.bean(ImageResult.class));
        done.select("path", "output", "width", "height", "scale", "ms", "status", "error", "denoiseQuality",
                "denoiseFrom")
                .write().mode(SaveMode.Overwrite).parquet(resultsDir);
        Dataset<Row> table = spark.read().parquet(resultsDir);
        FileSystem fs = out.getFileSystem(conf);
        fs.delete(new Path(out, ImageTask.TEMP_FOLDER), true); // leftovers of killed task attempts
        return new Summary(count(table, "done"), count(table, "skipped"), count(table, "error"), resultsDir);
    }

    /** A task's images, one result each, computed as the results table is written. */
    private record Images(JobSettings settings) implements MapPartitionsFunction<Row, ImageResult> {
        @Override
        public java.util.Iterator<ImageResult> call(java.util.Iterator<Row> paths) {
            return new java.util.Iterator<>() {
                @Override
                public boolean hasNext() {
                    return paths.hasNext();
                }

                @Override
                public ImageResult next() {
                    Row r = paths.next();
                    String path = r.getString(0), first = r.getString(1);
                    return ImageTask.run(path, first.equals(path) ? null : first, settings);
                }
            };
        }
    }

    static final String IMAGE_NAMES = "\\.(png|jpe?g|bmp|webp|tiff?)$";

    /**
     * Image-named links below local input folders whose target does not exist: what a walk that does not follow
     * links finds there (other file systems have no such links).
     */
    static List<String> danglingLinks(String[] roots) throws IOException {
        List<String> found = new ArrayList<>();
        java.util.regex.Pattern images = java.util.regex.Pattern.compile(IMAGE_NAMES);
        for (String root : roots) {
            java.net.URI uri = new Path(root).toUri();
            if (!"file".equals(uri.getScheme())) {
                continue;
            }
            java.nio.file.Path dir = java.nio.file.Path.of(uri.getPath());
            if (!java.nio.file.Files.isDirectory(dir)) {
                continue;
            }
            try (var walk = java.nio.file.Files.walk(dir)) {
                walk.filter(f -> java.nio.file.Files.isSymbolicLink(f) && !java.nio.file.Files.exists(f)
                                && images.matcher(f.getFileName().toString().toLowerCase(java.util.Locale.ROOT)).find())
                        .forEach(f -> found.add(new Path(f.toUri()).toString()));
            }
        }
        return found.stream().distinct().sorted().toList();
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
