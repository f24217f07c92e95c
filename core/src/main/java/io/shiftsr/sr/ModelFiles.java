package io.shiftsr.sr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shiftsr.diffusion.Schedule;
import io.shiftsr.engine.Engine;
import io.shiftsr.engine.Tensor;
import io.shiftsr.latent.LatentCodec;
import io.shiftsr.model.SrNetwork;
import io.shiftsr.model.ModelConfig;
import io.shiftsr.weights.DType;
import io.shiftsr.weights.SafetensorsFile;
import io.shiftsr.weights.SafetensorsReader;
import io.shiftsr.weights.SafetensorsWriter;
import io.shiftsr.weights.WeightsException;
import io.shiftsr.weights.ReadOptions;
import io.shiftsr.weights.TensorData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ShiftSR model files: safetensors whose metadata holds the network config, the schedule and the latent
 * codec, so a file describes itself. Loading checks every name and shape against the architecture the
 * metadata describes before any weight is used.
 */
public final class ModelFiles {
    public static final String FORMAT = "shiftsr-model";
    /** Metadata keys: the range of scales the model was trained on (absent: any scale). */
    public static final String SCALE_MIN = "train_scale_min";
    public static final String SCALE_MAX = "train_scale_max";
    /** Metadata key: the DeltaDiff step count the model is meant to run at (absent: 2, or T if smaller). */
    public static final String DEFAULT_STEPS = "default_steps";
    /** Metadata key: the self-ensemble members the model is meant to run with (absent: 1, none). */
    public static final String DEFAULT_ENSEMBLE = "default_ensemble";
    /**
     * Metadata key: the config of a second network for clean inputs, whose tensors are stored under
     * {@code clean/} (ShiftSrModel#withCleanNetwork); absent: one network serves every input.
     */
    public static final String CLEAN_MODEL_CONFIG = "clean_model_config";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ModelFiles() {}

    public static void save(ShiftSrModel model, Map<String, Tensor> weights, Path path, DType storage,
            Map<String, String> extraMetadata) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        try {
            meta.put("model_config", JSON.writeValueAsString(model.net().config()));
            meta.put("schedule", JSON.writeValueAsString(model.schedule()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        meta.put("latent_codec", model.codec().name());
        meta.put(SCALE_MIN, Double.toString(model.trainedScales().min()));
        meta.put(SCALE_MAX, Double.toString(model.trainedScales().max()));
        meta.put(DEFAULT_STEPS, Integer.toString(model.defaultSteps()));
        if (model.defaultEnsemble() != 1) {
            meta.put(DEFAULT_ENSEMBLE, Integer.toString(model.defaultEnsemble()));
        }
        meta.putAll(extraMetadata);
        List<TensorData> tensors = new ArrayList<>();
        weights.forEach((name, t) -> tensors.add(new TensorData(name, storage, t.shape(), t.toFloatArray())));
        SrNetwork clean = model.cleanNetwork();
        if (clean != null) {
            try {
                meta.put(CLEAN_MODEL_CONFIG, JSON.writeValueAsString(clean.config()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            clean.namedParameters().forEach((name, t) -> tensors.add(new TensorData(ShiftSrModel.CLEAN_PREFIX + name,
                    storage, t.shape(), t.toFloatArray())));
        }
        SafetensorsWriter.write(path, tensors, meta, storage);
    }

    public static void save(ShiftSrModel model, Path path, DType storage) {
        save(model, model.net().namedParameters(), path, storage, Map.of());
    }

    /** The model a file describes, with its weights; refuses anything that does not match exactly. */
    public static ShiftSrModel load(Path path) {
        return load(SafetensorsReader.read(path), path.toString());
    }

    /** Largest model file read from a stream (the bundled one is 1.4 MB; a 100 M-parameter fp32 net is 400 MB). */
    public static final int MAX_STREAM_BYTES = 1 << 30;

    /** As {@link #load(Path)}, from a stream (e.g. a classpath resource); {@code name} names it in errors. */
    public static ShiftSrModel load(java.io.InputStream in, String name) {
        byte[] data;
        try {
            data = in.readNBytes(MAX_STREAM_BYTES + 1);
        } catch (java.io.IOException e) {
            throw new WeightsException(name + ": cannot read: " + e.getMessage(), e);
        }
        if (data.length > MAX_STREAM_BYTES) {
            throw new WeightsException(name + ": larger than " + (MAX_STREAM_BYTES >> 20) + " MB, not a model file");
        }
        return load(SafetensorsReader.read(data, name, ReadOptions.DEFAULTS), name);
    }

    private static ShiftSrModel load(SafetensorsFile f, String path) {
        Map<String, String> meta = f.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new WeightsException(path + ": not a ShiftSR model file (metadata format is "
                    + meta.getOrDefault("format", "missing") + ")");
        }
        ModelConfig config;
        Schedule schedule;
        LatentCodec codec;
        try {
            config = JSON.readValue(meta.get("model_config"), ModelConfig.class);
            schedule = JSON.readValue(meta.get("schedule"), Schedule.class);
            codec = LatentCodec.byName(meta.get("latent_codec"));
        } catch (Exception e) {
            throw new WeightsException(path + ": bad model metadata: " + firstLine(e.getMessage()));
        }
        Engine.init();
        SrNetwork net;
        try {
            net = new SrNetwork(config, 0);
        } catch (IllegalArgumentException e) {
            throw new WeightsException(path + ": bad model metadata: " + firstLine(e.getMessage()));
        }
        SrNetwork clean = null;
        if (meta.containsKey(CLEAN_MODEL_CONFIG)) {
            try {
                clean = new SrNetwork(JSON.readValue(meta.get(CLEAN_MODEL_CONFIG), ModelConfig.class), 0);
            } catch (Exception e) {
                throw new WeightsException(path + ": bad model metadata: " + firstLine(e.getMessage()));
            }
        }
        Map<String, long[]> expected = new LinkedHashMap<>();
        net.namedParameters().forEach((n, t) -> expected.put(n, t.shape()));
        if (clean != null) {
            clean.namedParameters().forEach((n, t) -> expected.put(ShiftSrModel.CLEAN_PREFIX + n, t.shape()));
        }
        f.requireShapes(expected);
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, float[]> cleanValues = new LinkedHashMap<>();
        f.tensors().forEach(t -> {
            if (t.name().startsWith(ShiftSrModel.CLEAN_PREFIX)) {
                cleanValues.put(t.name().substring(ShiftSrModel.CLEAN_PREFIX.length()), t.values());
            } else {
                values.put(t.name(), t.values());
            }
        });
        net.loadStateDict(values);
        try {
            ShiftSrModel m = new ShiftSrModel(net, schedule, codec, trainedScales(meta, path),
                    defaultSteps(meta, schedule.steps()), defaultEnsemble(meta));
            if (clean != null) {
                clean.loadStateDict(cleanValues);
                m = m.withCleanNetwork(clean);
            }
            return m.withMetadata(meta);
        } catch (IllegalArgumentException e) {
            throw new WeightsException(path + ": bad model metadata: " + firstLine(e.getMessage()));
        }
    }

    /**
     * The scale range a model file was trained on; a file without the keys (a training run's best.safetensors
     * before they were written there) serves any scale the upscaler takes, (1, 4].
     */
    static ShiftSrModel.ScaleRange trainedScales(Map<String, String> meta, String path) {
        if (!meta.containsKey(SCALE_MIN) || !meta.containsKey(SCALE_MAX)) {
            return ShiftSrModel.ScaleRange.ANY;
        }
        double lo, hi;
        try {
            lo = Double.parseDouble(meta.get(SCALE_MIN));
            hi = Double.parseDouble(meta.get(SCALE_MAX));
        } catch (NumberFormatException e) {
            throw new WeightsException(path + ": bad model metadata: trained scale range is not a number");
        }
        if (!(lo >= 1 && lo <= hi && hi <= 16)) {
            throw new WeightsException(path + ": bad model metadata: trained scale range " + meta.get(SCALE_MIN) + "-"
                    + meta.get(SCALE_MAX) + " is not within 1-16");
        }
        return new ShiftSrModel.ScaleRange(lo, hi);
    }

    /** The step count a model runs at when none is asked for: its metadata's, else 2 (at most T). */
    static int defaultSteps(Map<String, String> meta, int trainedSteps) {
        String v = meta.get(DEFAULT_STEPS);
        if (v != null) {
            try {
                int n = Integer.parseInt(v.trim());
                if (n >= 1 && n <= trainedSteps) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // fall through: a bad value is refused below
            }
            throw new IllegalArgumentException(DEFAULT_STEPS + " must be in 1.." + trainedSteps
                    + ", got '" + v + "'");
        }
        return Math.min(2, trainedSteps);
    }

    /** The self-ensemble a model runs with when none is asked for: its metadata's, else 1. */
    static int defaultEnsemble(Map<String, String> meta) {
        String v = meta.get(DEFAULT_ENSEMBLE);
        if (v == null) {
            return 1;
        }
        try {
            return Sampling.checkEnsemble(Integer.parseInt(v.trim()));
        } catch (IllegalArgumentException e) { // NumberFormatException included
            throw new IllegalArgumentException(DEFAULT_ENSEMBLE + " must be 1, 2, 4 or 8, got '" + v + "'");
        }
    }

    /** Metadata only, e.g. for {@code shiftsr info}. */
    public static Map<String, String> metadata(Path path) {
        return SafetensorsReader.read(path).metadata();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
