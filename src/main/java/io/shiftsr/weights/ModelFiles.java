package io.shiftsr.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shiftsr.diffusion.Schedule;
import io.shiftsr.engine.Engine;
import io.shiftsr.engine.Tensor;
import io.shiftsr.latent.LatentCodec;
import io.shiftsr.model.DualDomainUNet;
import io.shiftsr.model.ModelConfig;
import io.shiftsr.model.ShiftSrModel;
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
        meta.putAll(extraMetadata);
        List<TensorData> tensors = new ArrayList<>();
        weights.forEach((name, t) -> tensors.add(new TensorData(name, storage, t.shape(), t.toFloatArray())));
        SafetensorsWriter.write(path, tensors, meta, storage);
    }

    public static void save(ShiftSrModel model, Path path, DType storage) {
        save(model, model.net().namedParameters(), path, storage, Map.of());
    }

    /** The model a file describes, with its weights; refuses anything that does not match exactly. */
    public static ShiftSrModel load(Path path) {
        SafetensorsFile f = SafetensorsReader.read(path);
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
        DualDomainUNet net = new DualDomainUNet(config, 0);
        Map<String, long[]> expected = new LinkedHashMap<>();
        net.namedParameters().forEach((n, t) -> expected.put(n, t.shape()));
        f.requireShapes(expected);
        Map<String, float[]> values = new LinkedHashMap<>();
        f.tensors().forEach(t -> values.put(t.name(), t.values()));
        net.loadValues(values);
        return new ShiftSrModel(net, schedule, codec);
    }

    /**
     * Refuses a scale outside the range the model was trained on: a model trained at x4 only (the first shipped
     * one) over-sharpens grossly at x2 (measured: 15 dB PSNR-Y against bicubic's 31), so it must not be used
     * there silently.
     */
    public static void requireTrainedScale(Path path, double scale) {
        Map<String, String> meta = metadata(path);
        if (!meta.containsKey(SCALE_MIN) || !meta.containsKey(SCALE_MAX)) {
            return;
        }
        double lo = Double.parseDouble(meta.get(SCALE_MIN)), hi = Double.parseDouble(meta.get(SCALE_MAX));
        if (scale < lo - 1e-9 || scale > hi + 1e-9) {
            throw new WeightsException(path + ": this model was trained for scales " + fmt(lo)
                    + (lo == hi ? "" : "-" + fmt(hi)) + " only, not " + fmt(scale) + " (use --method bicubic or a model"
                    + " trained on that scale)");
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
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
