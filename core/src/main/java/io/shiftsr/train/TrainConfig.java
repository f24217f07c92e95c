package io.shiftsr.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.shiftsr.data.RealDegradation;
import io.shiftsr.diffusion.Schedule;
import io.shiftsr.diffusion.TrainingObjective;
import io.shiftsr.model.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything a training run needs, read from YAML (configs/*.yaml), every key overridable with
 * {@code --set section.key=value}. Unknown keys are refused with the key named (a typo must not silently
 * fall back to a default for hours).
 */
public record TrainConfig(Data data, RealDegradation.Settings degradation, ModelConfig model, Diffusion diffusion,
        Loss loss, Optim optim, Run run) {

    /**
     * @param train           folder of high-resolution photos, searched recursively
     * @param val             validation folder with hr/ and lr/ (x4 LR made by the reference bicubic)
     * @param crop            HR crop side in pixels (a multiple of 4 x the model's latent multiple)
     * @param batch           crops per step
     * @param scaleMin        smallest upscale factor drawn (one model serves every scale in range)
     * @param scaleMax        largest
     * @param scaleChoices    when not empty, scales are drawn from this list instead (repeat a value to weight
     *                        it): integer scales keep the LR-pixel grid aligned with the latent cells, which a
     *                        continuous draw almost never does (MODEL_CARD.md)
     * @param shrinkFirst     shrink photos by this factor (bicubic) before cropping: removes compression
     *                        artifacts of lossy training photos (DESIGN.md section 6b); 1 = off
     * @param cropCandidates  draw this many crops of the photo and train on the most detailed one (the largest
     *                        sum of squared luma steps between neighbours), as SamplingAug (Wang et al. 2021)
     *                        samples informative patches; 1 = uniform crops, no extra random draws
     * @param cacheMegabytes  memory cap of decoded photos kept in memory
     * @param valImages       at most this many validation images (0 = all)
     */
    public record Data(String train, String val, int crop, int batch, double scaleMin, double scaleMax,
            double[] scaleChoices, double shrinkFirst, int cropCandidates, int cacheMegabytes, int valImages) {
        public Data {
            if (batch < 1 || batch > 4096) {
                throw new IllegalArgumentException("data.batch must be 1 to 4096");
            }
            if (cacheMegabytes < 0 || valImages < 0) {
                throw new IllegalArgumentException("data.cacheMegabytes and data.valImages must be >= 0");
            }
            if (!(scaleMin >= 1 && scaleMin <= scaleMax && scaleMax <= io.shiftsr.sr.Sampling.MAX_SCALE)) {
                // scaleMin = 1 marks a model for every scale in (1, 4]; scale 1 itself is never upscaled
                throw new IllegalArgumentException("need 1 <= data.scaleMin <= data.scaleMax <= 4");
            }
            for (double c : scaleChoices) {
                if (!(c >= scaleMin && c <= scaleMax)) {
                    throw new IllegalArgumentException("data.scaleChoices must lie in [scaleMin, scaleMax], got " + c);
                }
            }
            if (!(shrinkFirst >= 1 && shrinkFirst <= 16)) {
                throw new IllegalArgumentException("data.shrinkFirst must be 1 to 16");
            }
            if (cropCandidates < 1 || cropCandidates > 64) {
                throw new IllegalArgumentException("data.cropCandidates must be 1 to 64");
            }
        }
    }

    /**
     * @param steps            T of the schedule (DESIGN.md section 3)
     * @param kappa            ResShift's noise strength, used for the noisy share of the samples
     * @param noisyFraction    share of samples trained with the noisy (ResShift) process; the rest kappa = 0
     *                         (DeltaDiff), so one network serves both
     * @param priorAtT         train t = T on the state sampling starts from, y0 (+ noise), instead of
     *                         x0 + eta_T (y0 - x0): the latter keeps 1 - eta_T of x0, which a noise-free net
     *                         learns to read and never gets when sampling (DESIGN.md section 4's mismatch)
     * @param shareAtT         share of samples at t = T (what sampling starts from, and all of a 1-step run);
     *                         the rest uniform over 1..T-1. 0: t uniform over 1..T, ResShift's objective
     * @param selfEstimate     share of the t &lt; T samples whose x_t is made as sampling makes it, from the
     *                         network's own t = T estimate, instead of from the HR image by q
     *                         ({@link TrainingObjective})
     */
    public record Diffusion(int steps, double power, double sqrtEta1, double sqrtEtaT, double kappa,
            double noisyFraction, boolean priorAtT, double shareAtT, double selfEstimate) {
        public Schedule schedule() {
            return new Schedule(steps, power, sqrtEta1, sqrtEtaT, kappa);
        }

        public TrainingObjective.Settings objective() {
            return new TrainingObjective.Settings(noisyFraction, priorAtT, shareAtT, selfEstimate);
        }
    }

    /**
     * Loss weights (DESIGN.md section 6): L1 and MSE on x0 in pixels, the seed's DCT frequency loss (L1 on
     * orthonormal 8x8 DCT coefficients at scales 1, 1/2, 1/4 weighted 1/s), and L1 on the luma alone
     * (l1Luma: Y as the evaluation's PSNR-Y computes it, in the units of the RGB L1; optional, 0 when left out).
     * During warmupSteps only the L1 terms count and the other terms ramp in linearly.
     */
    public record Loss(double l1, double l1Luma, double mse, double dct, int warmupSteps) {
        public Loss {
            if (!(l1 >= 0 && l1Luma >= 0 && mse >= 0 && dct >= 0) || l1 + l1Luma + mse + dct == 0 || warmupSteps < 0) {
                throw new IllegalArgumentException("loss: weights >= 0, not all 0; warmupSteps >= 0");
            }
        }
    }

    /** AdamW with linear warm-up then cosine decay to minLr at totalSteps; EMA of the weights. */
    public record Optim(double lr, double minLr, double weightDecay, double beta1, double beta2, int warmupSteps,
            long totalSteps, double gradClip, double emaDecay, long seed, int threads) {
        public Optim {
            if (!(lr > 0 && lr < 1) || totalSteps < 1 || !(emaDecay >= 0 && emaDecay < 1)) {
                throw new IllegalArgumentException("optim: 0 < lr < 1, totalSteps >= 1, 0 <= emaDecay < 1");
            }
            if (!(minLr >= 0 && minLr <= lr) || !(weightDecay >= 0) || !(beta1 >= 0 && beta1 < 1)
                    || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("optim: 0 <= minLr <= lr, weightDecay >= 0, 0 <= beta1, beta2 < 1");
            }
            if (!(gradClip >= 0) || warmupSteps < 0 || threads < 0 || threads > 1024) {
                throw new IllegalArgumentException("optim: gradClip >= 0 (0 = off), warmupSteps >= 0, threads 0 to 1024");
            }
        }
    }

    /**
     * @param dir             run directory (checkpoints, log.csv, plot, validation grids)
     * @param logEvery        steps between log rows
     * @param validateEvery   steps between validations (0 = never)
     * @param valSteps        sampling steps used in validation (DeltaDiff)
     * @param checkpointEvery steps between checkpoints
     * @param keep            checkpoints kept
     * @param maxMinutes      stop (with a checkpoint) after this many minutes; 0 = until totalSteps
     * @param precision       fp32, or bf16: mixed precision (fp32 weights, optimizer state and loss; the
     *                        network's convolutions and linear layers under bf16 autocast, channels-last);
     *                        auto: bf16 where the CPU has native bfloat16, else fp32
     */
    public record Run(String dir, int logEvery, int validateEvery, int valSteps, int checkpointEvery, int keep,
            double maxMinutes, String precision) {
        public Run {
            if (checkpointEvery < 1 || keep < 1 || logEvery < 1) {
                throw new IllegalArgumentException("run: checkpointEvery, keep and logEvery must be >= 1");
            }
            if (validateEvery < 0) {
                throw new IllegalArgumentException("run.validateEvery must be >= 0 (0 = never)");
            }
            if (!java.util.List.of("auto", "fp32", "bf16").contains(precision)) {
                throw new IllegalArgumentException("run.precision must be auto, fp32 or bf16 (mixed: fp32 weights, bf16"
                        + " convolutions), got '" + precision + "'");
            }
            if (!(maxMinutes >= 0 && maxMinutes < 1e7)) {
                throw new IllegalArgumentException("run.maxMinutes must be >= 0 (0 = no limit), got " + maxMinutes);
            }
        }
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            // batch: 2.7 is a mistake, not 2; a key given twice is a mistake, not "the last one wins"
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** Reads a YAML file and applies {@code key.path=value} overrides. */
    public static TrainConfig load(Path file, List<String> overrides) {
        JsonNode tree;
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
            tree = YAML.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException(file + ": " + at(e.getLocation()) + "not valid YAML: "
                    + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read config: " + firstLine(e.getMessage()));
        }
        if (!(tree instanceof ObjectNode root)) {
            throw new ConfigException(file + ": config must be a YAML mapping");
        }
        fillOptionalSections(root);
        for (var c : TrainConfig.class.getRecordComponents()) { // before overrides, which would name a key in it
            if (!(root.get(c.getName()) instanceof ObjectNode)) {
                throw new ConfigException(file + ": " + at(locate(bytes, c.getName())) + "the '" + c.getName()
                        + "' section " + (root.has(c.getName()) ? "must be a mapping" : "is missing")
                        + " (configs/x4.yaml has every section)");
            }
        }
        for (String o : overrides) {
            applyOverride(root, o);
        }
        try {
            return fromTree(root, file.toString());
        } catch (ConfigException e) {
            if (e.key == null) {
                throw e;
            }
            String where = at(locate(bytes, e.key));
            throw where.isEmpty() ? e : new ConfigException(e.getMessage().replaceFirst(
                    java.util.regex.Pattern.quote(file + ": "), java.util.regex.Matcher.quoteReplacement(file + ": " + where)));
        }
    }

    /** "line L, column C: " of a parser location, or "" when there is none. */
    private static String at(com.fasterxml.jackson.core.JsonLocation loc) {
        return loc == null || loc.getLineNr() < 1 ? "" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": ";
    }

    /** Where the key {@code a.b.c} ({@code [i]} list indices ignored) is written in a YAML file, or null. */
    static com.fasterxml.jackson.core.JsonLocation locate(byte[] yaml, String key) {
        String want = key.replaceAll("\\[\\d+]", "");
        try (com.fasterxml.jackson.core.JsonParser p = YAML.getFactory().createParser(yaml)) {
            for (var t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t != com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                    continue;
                }
                StringBuilder path = new StringBuilder();
                for (var c = p.getParsingContext(); c != null; c = c.getParent()) {
                    if (c.inObject() && c.getCurrentName() != null) {
                        path.insert(0, path.length() == 0 ? c.getCurrentName() : c.getCurrentName() + ".");
                    }
                }
                if (path.toString().equals(want)) {
                    return p.currentTokenLocation();
                }
            }
        } catch (IOException | RuntimeException e) {
            return null; // the location is a help, not a requirement
        }
        return null;
    }

    static TrainConfig fromTree(JsonNode root, String source) {
        checkKeys(root, TrainConfig.class, "", source);
        try {
            TrainConfig c = YAML.treeToValue(root, TrainConfig.class);
            c.validate();
            return c;
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            // A record's own check refused a value (its constructor threw): its message, not Jackson's wrapper.
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof NullPointerException) { // a list given as null (scaleChoices: ~)
                throw new ConfigException(source + ": a config section or list is empty (null)", path(e));
            }
            throw new ConfigException(source + ": " + firstLine(cause.getMessage()), path(e));
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(source + ": unknown config key '" + path(e) + "'", path(e));
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            throw new ConfigException(source + ": bad or missing value at '" + path(e) + "': "
                    + firstLine(e.getOriginalMessage()), path(e));
        } catch (IOException e) {
            throw new ConfigException(source + ": " + firstLine(e.getMessage()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": " + firstLine(e.getMessage()));
        } catch (NullPointerException e) { // a section or list given as null (data: ~)
            throw new ConfigException(source + ": a config section or list is empty (null)");
        }
    }

    /** Names the first key no record component matches, before binding reports anything else. */
    private static void checkKeys(JsonNode node, Class<?> type, String prefix, String source) {
        if (!type.isRecord() || !node.isObject()) {
            return;
        }
        java.util.Map<String, Class<?>> components = new java.util.HashMap<>();
        for (var c : type.getRecordComponents()) {
            components.put(c.getName(), c.getType());
        }
        for (var it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            Class<?> sub = components.get(key);
            if (sub == null) {
                throw new ConfigException(source + ": unknown config key '" + prefix + key + "'", prefix + key);
            }
            checkKeys(node.get(key), sub, prefix + key + ".", source);
        }
    }

    private static String path(com.fasterxml.jackson.databind.JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** "optim.lr=1e-4": the key must already exist in the file's tree, so typos fail here too. */
    static void applyOverride(ObjectNode root, String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException("override '" + assignment + "' is not key=value");
        }
        String key = assignment.substring(0, eq).trim();
        String value = assignment.substring(eq + 1).trim();
        String[] parts = key.split("\\.", -1);
        if (key.isEmpty() || java.util.Arrays.asList(parts).contains("")) { // ".", "a..b": found by ConfigFuzzTest
            throw new ConfigException("unknown config key '" + key + "'");
        }
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = node.get(parts[i]);
            if (!(next instanceof ObjectNode on)) {
                throw new ConfigException("unknown config key '" + key + "'");
            }
            node = on;
        }
        String leaf = parts[parts.length - 1];
        if (!node.has(leaf)) {
            throw new ConfigException("unknown config key '" + key + "'");
        }
        try {
            node.set(leaf, YAML.readTree(value.isEmpty() ? "\"\"" : value));
        } catch (IOException e) {
            throw new ConfigException("override '" + assignment + "': bad value");
        }
    }

    /**
     * The checks that span records (each record checks its own values in its constructor, as Schedule and
     * ModelConfig do): the crop against the model's size multiple, the validation steps against T.
     */
    private void validate() {
        int unit = 4 * model.sizeMultiple();
        if (data.crop() <= 0 || data.crop() % unit != 0 || data.crop() > 2048) {
            throw new IllegalArgumentException("data.crop must be a positive multiple of " + unit
                    + " for this model, at most 2048");
        }
        diffusion.objective();
        diffusion.schedule();
        if (run.valSteps() < 1 || run.valSteps() > diffusion.steps()) {
            throw new IllegalArgumentException("run.valSteps must be in 1..diffusion.steps");
        }
    }

    /** The resolved config as YAML (printed at start, stored in checkpoints). */
    public String toYaml() {
        try {
            return YAML.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a config stored in a checkpoint. Checkpoints written before a key existed lack it; such keys get
     * the value that reproduces how that run trained, so old checkpoints stay resumable and exportable.
     */
    public static TrainConfig fromYaml(String yaml, String source) {
        try {
            JsonNode tree = YAML.readTree(yaml);
            if (tree instanceof ObjectNode root) {
                backfillKeysAddedLater(root);
                fillOptionalSections(root);
            }
            return fromTree(tree, source);
        } catch (IOException e) {
            throw new ConfigException(source + ": " + firstLine(e.getMessage()));
        }
    }

    /**
     * The degradation section may be left out (no degradation: every crop the clean bicubic LR, as before it
     * existed) or given in part: the keys it lacks take the paper's values ({@link RealDegradation.Settings#paper}).
     * {@code model.degradationEmbed} left out means no degradation embedding, {@code loss.l1Luma} left out no
     * luma loss (configs and checkpoints from before it existed).
     */
    private static void fillOptionalSections(ObjectNode root) {
        RealDegradation.Settings base = root.has("degradation") ? RealDegradation.Settings.paper()
                : RealDegradation.Settings.off();
        ObjectNode defaults = YAML.valueToTree(base);
        if (root.get("degradation") instanceof ObjectNode given) {
            mergeInto(defaults, given);
        } else if (root.has("degradation") && !root.get("degradation").isNull()) {
            return; // not a mapping: binding reports it
        }
        root.set("degradation", defaults);
        if (root.get("model") instanceof ObjectNode model && !model.has("degradationEmbed")) {
            model.put("degradationEmbed", false);
        }
        if (root.get("loss") instanceof ObjectNode loss && !loss.has("l1Luma")) {
            loss.put("l1Luma", 0.0);
        }
    }

    /** Overwrites {@code into} with {@code given} key by key, recursing into mappings; unknown keys stay for checkKeys. */
    private static void mergeInto(ObjectNode into, ObjectNode given) {
        for (var it = given.fields(); it.hasNext(); ) {
            var e = it.next();
            if (into.get(e.getKey()) instanceof ObjectNode sub && e.getValue() instanceof ObjectNode g) {
                mergeInto(sub, g);
            } else {
                into.set(e.getKey(), e.getValue());
            }
        }
    }

    /** Keys added after the first checkpoints were written, with the behaviour those checkpoints had. */
    private static void backfillKeysAddedLater(ObjectNode root) {
        if (root.get("data") instanceof ObjectNode data) {
            if (!data.has("scaleChoices")) {
                data.putArray("scaleChoices"); // empty: scale drawn uniformly in [scaleMin, scaleMax]
            }
            if (!data.has("cropCandidates")) {
                data.put("cropCandidates", 1); // uniform crops
            }
        }
        if (root.get("run") instanceof ObjectNode run && !run.has("precision")) {
            run.put("precision", "fp32");
        }
        if (root.get("model") instanceof ObjectNode model && !model.has("scaleEmbed")) {
            model.put("scaleEmbed", false);
        }
        if (root.get("diffusion") instanceof ObjectNode diffusion) {
            if (!diffusion.has("priorAtT")) {
                diffusion.put("priorAtT", false);
            }
            if (!diffusion.has("shareAtT")) {
                diffusion.put("shareAtT", 0.0); // t uniform over 1..T
            }
            if (!diffusion.has("selfEstimate")) {
                diffusion.put("selfEstimate", 0.0);
            }
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** A config problem, one line. */
    public static final class ConfigException extends RuntimeException {
        /** The config key the problem is at ("optim.lr"), or null. */
        final String key;

        public ConfigException(String message) {
            this(message, null);
        }

        ConfigException(String message, String key) {
            super(message == null ? "bad config" : message.replaceAll("[\\r\\n]+", " ")); // one line, always
            this.key = key;
        }
    }
}
