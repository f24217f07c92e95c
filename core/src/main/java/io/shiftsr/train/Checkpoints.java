package io.shiftsr.train;

import java.util.Locale;
import io.shiftsr.engine.Tensor;
import io.shiftsr.nn.StateDict;
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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Training checkpoints in runDir/checkpoints/step-NNNNNNNN.safetensors: weights, EMA weights, AdamW
 * moments (float32, so a resume is exact), the step and the resolved config in the metadata. Written
 * atomically; the newest K that read back are kept; a corrupt file is reported, moved aside (.unusable) and
 * the one before is used.
 */
public final class Checkpoints {
    public static final String FORMAT = "shiftsr-checkpoint";
    /** Name prefixes of the state dicts a checkpoint holds: network, its EMA, AdamW ("adam_" + "m/..", "v/.."). */
    public static final String MODEL = "model/", EMA = "ema/", OPTIMIZER = "adam_";
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

    /** What a checkpoint restores: every tensor by its full name ("model/head.weight"), step and config. */
    public record State(long step, long adamSteps, String configYaml, Map<String, float[]> tensors) {
        /** The network's state dict. */
        public Map<String, float[]> model() {
            return StateDict.under(MODEL, tensors);
        }

        /** The EMA weights' state dict. */
        public Map<String, float[]> ema() {
            return StateDict.under(EMA, tensors);
        }

        /** AdamW's state dict. */
        public Map<String, float[]> optimizer() {
            return StateDict.under(OPTIMIZER, tensors);
        }
    }

    /** The state dicts of one training state, each under its prefix: what {@link #save} writes. */
    public static Map<String, Tensor> stateOf(Map<String, Tensor> model, Ema ema, AdamW optimizer) {
        Map<String, Tensor> all = new LinkedHashMap<>(StateDict.prefixed(MODEL, model));
        all.putAll(StateDict.prefixed(EMA, ema.stateDict()));
        all.putAll(StateDict.prefixed(OPTIMIZER, optimizer.stateDict()));
        return all;
    }

    /** Writes {@code state} (names as {@link #stateOf} makes them) as the checkpoint of {@code step}. */
    public Path save(long step, long adamSteps, String configYaml, Map<String, Tensor> state) {
        List<TensorData> tensors = new ArrayList<>();
        state.forEach((name, t) -> tensors.add(new TensorData(name, DType.F32, t.shape(), t.toFloatArray())));
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
        Path file = dir.resolve(String.format(Locale.ROOT, "step-%08d.safetensors", step));
        SafetensorsWriter.write(file, tensors, meta, DType.F32);
        prune(step);
        return file;
    }

    /** Checkpoint files, newest (highest step) first. */
    public List<Path> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> stepOf(p) >= 0)
                    .sorted(Comparator.comparingLong(Checkpoints::stepOf).reversed())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The step a checkpoint's file name says, or -1 for a file that is not named like one. */
    static long stepOf(Path p) {
        String name = p.getFileName().toString();
        if (!name.matches("step-\\d{1,18}\\.safetensors")) {
            return -1;
        }
        return Long.parseLong(name.substring(5, name.length() - ".safetensors".length()));
    }

    /**
     * Keeps the checkpoint just written and the newest {@code keep - 1} older ones that read back whole. Only
     * files of an earlier step than {@code written} are candidates: a file named for a later step is left
     * to the resume logic, never deleted here. A candidate that does not read back is moved aside (renamed
     * with {@code .unusable}), not deleted and not counted, so unreadable files can never push a usable state
     * out of the kept set.
     */
    private void prune(long written) {
        int kept = 1;
        for (Path p : list()) {
            if (stepOf(p) >= written) {
                continue;
            }
            if (!readsBack(p)) {
                moveAside(p, s -> { });
                continue;
            }
            if (kept < keep) {
                kept++;
                continue;
            }
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // A checkpoint we failed to delete costs disk, not correctness.
            }
        }
    }

    private static boolean readsBack(Path p) {
        try {
            load(p);
            return true;
        } catch (WeightsException | IllegalArgumentException | UncheckedIOException e) {
            return false;
        }
    }

    /** Renames an unusable checkpoint to NAME.unusable (numbered if that exists) so it is out of the way but kept. */
    private static void moveAside(Path p, Consumer<String> warn) {
        try {
            Path target = p.resolveSibling(p.getFileName() + ".unusable");
            for (int i = 1; Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS); i++) {
                target = p.resolveSibling(p.getFileName() + ".unusable-" + i);
            }
            Files.move(p, target);
            warn.accept("moved it aside to " + target.getFileName());
        } catch (IOException e) {
            warn.accept("could not move it aside (" + e.getMessage() + ")");
        }
    }

    /** The newest checkpoint that reads back whole, or null when there is none; bad ones are reported. */
    public State loadNewestValid(Consumer<String> warn) {
        for (Path p : list()) {
            try {
                return load(p);
            } catch (WeightsException | IllegalArgumentException | UncheckedIOException e) {
                warn.accept("checkpoint " + p.getFileName() + " is unusable (" + e.getMessage() + "); trying the previous one");
                moveAside(p, warn);
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
        Map<String, float[]> tensors = new LinkedHashMap<>();
        for (TensorData t : f.tensors()) {
            int slash = t.name().indexOf('/');
            if (slash < 0 || !java.util.Arrays.asList(GROUPS).contains(t.name().substring(0, slash))) {
                throw new IllegalArgumentException(file + ": unexpected tensor " + t.name());
            }
            tensors.put(t.name(), t.values());
        }
        try {
            return new State(Long.parseLong(meta.get("step")), Long.parseLong(meta.get("adam_steps")),
                    meta.get("config"), tensors);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": bad step in the checkpoint metadata");
        }
    }
}
