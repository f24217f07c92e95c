package io.shiftsr.train;

import io.shiftsr.engine.Tensor;
import io.shiftsr.weights.DType;
import io.shiftsr.weights.SafetensorsFile;
import io.shiftsr.weights.SafetensorsReader;
import io.shiftsr.weights.SafetensorsWriter;
import io.shiftsr.weights.TensorData;
import io.shiftsr.weights.WeightsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Training checkpoints in runDir/checkpoints/step-NNNNNNNN.safetensors: weights, EMA weights, AdamW
 * moments (float32, so a resume is exact), the step and the resolved config in the metadata. Written
 * atomically; the newest K are kept; a corrupt newest file is reported and the one before is used.
 */
public final class Checkpoints {
    public static final String FORMAT = "shiftsr-checkpoint";
    private static final String[] GROUPS = {"model", "ema", "adam_m", "adam_v"};

    private final Path dir;
    private final int keep;

    public Checkpoints(Path runDir, int keep) {
        this.dir = runDir.resolve("checkpoints");
        this.keep = keep;
    }

    public Path dir() {
        return dir;
    }

    /** What a checkpoint restores. */
    public record State(long step, long adamSteps, String configYaml, Map<String, Map<String, float[]>> groups) {}

    public Path save(long step, long adamSteps, String configYaml, Map<String, Tensor> model, Map<String, Tensor> ema,
            Map<String, Tensor> adamM, Map<String, Tensor> adamV) {
        List<TensorData> tensors = new ArrayList<>();
        add(tensors, "model", model);
        add(tensors, "ema", ema);
        add(tensors, "adam_m", adamM);
        add(tensors, "adam_v", adamV);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("step", Long.toString(step));
        meta.put("adam_steps", Long.toString(adamSteps));
        meta.put("config", configYaml);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path file = dir.resolve(String.format("step-%08d.safetensors", step));
        SafetensorsWriter.write(file, tensors, meta, DType.F32);
        prune();
        return file;
    }

    private static void add(List<TensorData> out, String group, Map<String, Tensor> tensors) {
        tensors.forEach((name, t) -> out.add(new TensorData(group + "/" + name, DType.F32, t.shape(), t.toFloatArray())));
    }

    /** Checkpoint files, newest first. */
    public List<Path> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("step-\\d+\\.safetensors"))
                    .sorted((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void prune() {
        List<Path> all = list();
        for (int i = keep; i < all.size(); i++) {
            try {
                Files.deleteIfExists(all.get(i));
            } catch (IOException e) {
                // A checkpoint we failed to delete costs disk, not correctness.
            }
        }
    }

    /** The newest checkpoint that reads back whole, or null when there is none; bad ones are reported. */
    public State loadNewestValid(Consumer<String> warn) {
        for (Path p : list()) {
            try {
                return load(p);
            } catch (WeightsException | IllegalArgumentException e) {
                warn.accept("checkpoint " + p.getFileName() + " is unusable (" + e.getMessage() + "); trying the previous one");
            }
        }
        return null;
    }

    public static State load(Path file) {
        SafetensorsFile f = SafetensorsReader.read(file);
        Map<String, String> meta = f.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IllegalArgumentException(file + ": not a ShiftSR training checkpoint");
        }
        Map<String, Map<String, float[]>> groups = new LinkedHashMap<>();
        for (String g : GROUPS) {
            groups.put(g, new LinkedHashMap<>());
        }
        for (TensorData t : f.tensors()) {
            int slash = t.name().indexOf('/');
            Map<String, float[]> g = slash < 0 ? null : groups.get(t.name().substring(0, slash));
            if (g == null) {
                throw new IllegalArgumentException(file + ": unexpected tensor " + t.name());
            }
            g.put(t.name().substring(slash + 1), t.values());
        }
        return new State(Long.parseLong(meta.get("step")), Long.parseLong(meta.get("adam_steps")), meta.get("config"),
                groups);
    }
}
