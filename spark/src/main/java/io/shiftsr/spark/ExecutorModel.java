package io.shiftsr.spark;

import io.shiftsr.ShiftSr;
import io.shiftsr.engine.Engine;
import io.shiftsr.sr.ShiftSrModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;

/**
 * One model per executor JVM, loaded by the first task that needs it and shared by all later ones. Compute
 * threads are {@code spark.task.cpus}; as many tasks compute at once as the cores hold at that count (the
 * facade's call gate), so {@code spark.task.cpus} = the executor's cores runs one at a time with all of them
 * (docs/SCALE-OUT.md says how to size executors).
 */
final class ExecutorModel {
    private static ShiftSr loaded;
    private static String loadedKey;

    private ExecutorModel() {
    }

    static synchronized ShiftSr get(JobSettings s) {
        String key = s.model() + "|" + s.process() + "|" + s.steps() + "|" + s.ensemble() + "|" + s.precision() + "|"
                + s.denoise();
        if (loaded != null && key.equals(loadedKey)) {
            return loaded;
        }
        if (loaded != null) {
            loaded.close();
        }
        int threads = SparkEnv.get() == null ? 0 : SparkEnv.get().conf().getInt("spark.task.cpus", 1);
        Engine.init(threads);
        ShiftSr sr;
        if (s.model() == null) {
            sr = ShiftSr.load();
        } else {
            Path p = new Path(s.model());
            try (InputStream in = fileSystem(p, s).open(p)) {
                sr = ShiftSr.load(in, p.getName());
            } catch (IOException e) {
                throw new UncheckedIOException(s.model() + ": cannot read the model (" + e.getMessage() + ")", e);
            }
        }
        loaded = sr.with(ShiftSr.Settings.DEFAULT.withProcess(ShiftSrModel.Process.parse(s.process()))
                .withSteps(s.steps()).withEnsemble(s.ensemble()).withDenoise(io.shiftsr.sr.Denoise.parse(s.denoise())))
                .precision(io.shiftsr.engine.Precision.parse(s.precision()));
        loadedKey = key;
        return loaded;
    }

    private static Configuration conf;
    private static byte[] confBytes;

    /**
     * A path's file system under the driver's Hadoop configuration, rebuilt once per JVM and job, not per file.
     * The local file system without Hadoop's checksum layer: it would leave a hidden {@code .NAME.crc} beside
     * every output, which no photo tool reads and every folder listing shows.
     */
    static FileSystem fileSystem(Path p, JobSettings s) throws IOException {
        FileSystem fs = p.getFileSystem(configuration(s));
        return fs instanceof org.apache.hadoop.fs.LocalFileSystem local ? local.getRawFileSystem() : fs;
    }

    private static synchronized Configuration configuration(JobSettings s) throws IOException {
        if (conf == null || !java.util.Arrays.equals(confBytes, s.hadoopConf())) {
            Configuration c = new Configuration(false);
            c.readFields(new java.io.DataInputStream(new java.io.ByteArrayInputStream(s.hadoopConf())));
            conf = c;
            confBytes = s.hadoopConf();
        }
        return conf;
    }

    /** The driver side of {@link JobSettings#hadoopConf()}. */
    static byte[] serialize(Configuration c) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            c.write(out);
        }
        return bytes.toByteArray();
    }
}
