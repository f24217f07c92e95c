package io.shiftsr;

import io.shiftsr.engine.Engine;
import io.shiftsr.engine.Precision;
import io.shiftsr.image.Image;
import io.shiftsr.image.ImageException;
import io.shiftsr.image.ImageReading;
import io.shiftsr.image.ImageWriting;
import io.shiftsr.image.MatlabBicubic;
import io.shiftsr.inference.DiffusionUpscaler;
import io.shiftsr.io.StageClock;
import io.shiftsr.sr.Sampling;
import io.shiftsr.sr.DegradationLevel;
import io.shiftsr.sr.Denoise;
import io.shiftsr.sr.ShiftSrModel;
import io.shiftsr.upscale.Upscaler;
import io.shiftsr.upscale.Upscalers;
import io.shiftsr.sr.ModelFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.IntConsumer;

/**
 * ShiftSR's public entry point: load a model, upscale images. The command line, the web app and the Spark job
 * are thin layers over this class; everything else in {@code io.shiftsr.*} is internal and may change.
 *
 * <pre>{@code
 * try (ShiftSr sr = ShiftSr.load()) {                       // the bundled model, from the classpath
 *     BufferedImage big = sr.upscale(ImageIO.read(file), 4);  // or upscale(bytes, 4, "png"), upscale(in, out, 4)
 * }
 * }</pre>
 *
 * <p>What a photo has besides colour is kept: gray stays gray, alpha is resized with bicubic (the network sees
 * colour only), 16-bit inputs give 16-bit PNG/TIFF, the ICC profile, EXIF and XMP go into written files. A scale
 * the model was not trained for is refused with {@link IllegalArgumentException}.
 *
 * <p>The {@code load} methods run the model in bfloat16 where the CPU has native support for it (AVX512-BF16 or
 * AMX: about 2x faster here, PSNR within 0.002 dB of fp32), else in fp32, as the command line does by default;
 * {@link #precision(Precision)} with {@code FP32} goes back to the exact fp32 weights.
 *
 * <p><b>Thread safety:</b> an instance may be shared between threads. By default its calls run one at a time,
 * because one call already uses every compute thread ({@link Engine#init(int)}), so running two at once would
 * only make both slower. With fewer compute threads than cores ({@code Engine.init(1)} on 2 cores), as many
 * calls run at once as the cores hold ({@link Engine#concurrentCalls()}): a folder upscaled two images at a time,
 * each on one core, keeps both cores busy through each image's decode, y0 and PNG (docs/PERFORMANCE.md). A change
 * of precision or {@link #close()} waits for the running calls. Use one instance per JVM. {@link #with(Settings)}
 * views share the model, and its gate.
 */
public final class ShiftSr implements AutoCloseable {
    /** Where the bundled model lies on the classpath. */
    public static final String BUNDLED_MODEL = "/io/shiftsr/models/shiftsr.safetensors";

    /**
     * How to sample. {@code steps} 0 and {@code kappa} NaN mean the model's own (1 step and its trained noise
     * for the bundled one); {@code tile} 0 and {@code overlap} -1 mean chosen from {@code maxMemoryBytes};
     * {@code denoise} says how degraded the input is ({@link Denoise}; auto reads a JPEG's quality from the file, or
     * from the pixels of one re-saved losslessly or handed over decoded).
     */
    public record Settings(ShiftSrModel.Process process, int steps, double kappa, long seed, int tile, int overlap,
            long maxMemoryBytes, int ensemble, Denoise denoise) {
        public static final Settings DEFAULT = new Settings(ShiftSrModel.Process.DELTADIFF, 0, Double.NaN, 0, 0, -1,
                Sampling.DEFAULT_MAX_MEMORY, 0, Denoise.AUTO);

        public Settings {
            denoise = denoise == null ? Denoise.AUTO : denoise;
        }

        /** Settings without a denoise choice: auto. */
        public Settings(ShiftSrModel.Process process, int steps, double kappa, long seed, int tile, int overlap,
                long maxMemoryBytes, int ensemble) {
            this(process, steps, kappa, seed, tile, overlap, maxMemoryBytes, ensemble, Denoise.AUTO);
        }

        /** How much compression and noise to remove (auto, off, low, medium, high). */
        public Settings withDenoise(Denoise d) {
            return new Settings(process, steps, kappa, seed, tile, overlap, maxMemoryBytes, ensemble, d);
        }

        /** Geometric self-ensemble members (1, 2, 4, 8; 0 = the model's default), each a full sampling run. */
        public Settings withEnsemble(int members) {
            return new Settings(process, steps, kappa, seed, tile, overlap, maxMemoryBytes, members, denoise);
        }

        public Settings withProcess(ShiftSrModel.Process p) {
            return new Settings(p, steps, kappa, seed, tile, overlap, maxMemoryBytes, ensemble, denoise);
        }

        public Settings withSteps(int n) {
            return new Settings(process, n, kappa, seed, tile, overlap, maxMemoryBytes, ensemble, denoise);
        }

        /** ResShift's noise strength (DeltaDiff has none). */
        public Settings withKappa(double k) {
            return new Settings(process, steps, k, seed, tile, overlap, maxMemoryBytes, ensemble, denoise);
        }

        public Settings withSeed(long s) {
            return new Settings(process, steps, kappa, s, tile, overlap, maxMemoryBytes, ensemble, denoise);
        }

        public Settings withTiles(int tileSide, int tileOverlap) {
            return new Settings(process, steps, kappa, seed, tileSide, tileOverlap, maxMemoryBytes, ensemble, denoise);
        }

        public Settings withMaxMemory(long bytes) {
            return new Settings(process, steps, kappa, seed, tile, overlap, bytes, ensemble, denoise);
        }
    }

    private final CallGate gate;
    private final ShiftSrModel model; // null for a classic method
    private final DiffusionUpscaler diffusion; // the model's sampler at these settings, or null: classic
    private final Upscaler classic; // a classic method (bicubic), or null: the model
    private final String name;
    private final Settings settings;
    private final int steps;
    private final int ensemble;
    private final boolean[] closed;

    private ShiftSr(CallGate gate, ShiftSrModel model, DiffusionUpscaler diffusion, Upscaler classic, String name,
            Settings settings, int steps, int ensemble, boolean[] closed) {
        this.gate = gate;
        this.model = model;
        this.diffusion = diffusion;
        this.classic = classic;
        this.name = name;
        this.settings = settings;
        this.steps = steps;
        this.ensemble = ensemble;
        this.closed = closed;
    }

    /** The bundled model (models/shiftsr.safetensors, packed into the jar). */
    public static ShiftSr load() {
        try (InputStream in = ShiftSr.class.getResourceAsStream(BUNDLED_MODEL)) {
            if (in == null) {
                throw new IllegalStateException("the bundled model " + BUNDLED_MODEL + " is not on the classpath");
            }
            return of(ModelFiles.load(in, "bundled shiftsr.safetensors"), "shiftsr.safetensors")
                    .precision(Precision.AUTO);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A model file ({@code shiftsr export} writes them); bad files throw {@code WeightsException}. */
    public static ShiftSr load(Path modelFile) {
        Engine.init();
        return of(ModelFiles.load(modelFile), modelFile.getFileName().toString()).precision(Precision.AUTO);
    }

    /** A model file's bytes, e.g. from a classpath resource or object storage. */
    public static ShiftSr load(InputStream modelBytes, String name) {
        Engine.init();
        return of(ModelFiles.load(modelBytes, name), name).precision(Precision.AUTO);
    }

    /** Wraps a model already in memory; closing the result frees it. */
    public static ShiftSr of(ShiftSrModel model, String name) {
        return new ShiftSr(new CallGate(Engine::concurrentCalls), model, null, null, name, Settings.DEFAULT,
                model.defaultSteps(), model.defaultEnsemble(), new boolean[1]).with(Settings.DEFAULT);
    }

    /** A classic method without a model ("bicubic"), with the same handling of alpha, gray, depth and metadata. */
    public static ShiftSr classic(String method) {
        Upscaler u = Upscalers.create(method);
        if (u == null) {
            throw new IllegalArgumentException("unknown method '" + method + "' (available: "
                    + String.join(", ", Upscalers.names()) + ")");
        }
        // One call at a time, as before the gate; never the engine's count, which would load libtorch for a
        // bicubic upscale (1.5 s and its memory for nothing).
        return new ShiftSr(new CallGate(() -> 1), null, null, u, method, Settings.DEFAULT, 0, 0, new boolean[1]);
    }

    /**
     * A view with other sampling settings, sharing this one's model; the model checks them
     * ({@link ShiftSrModel#sampling}: steps above the trained T, an ensemble size it has not). Process BICUBIC
     * is the classic method, with the same handling of alpha, gray, depth and metadata.
     */
    public ShiftSr with(Settings s) {
        if (model == null) {
            return this;
        }
        if (s.process() == ShiftSrModel.Process.BICUBIC) {
            return new ShiftSr(gate, model, null, Upscalers.create("bicubic"), "bicubic", s, 0, 0, closed);
        }
        Sampling sampling = model.sampling(s.process(), s.steps(), s.kappa(), s.seed(), s.tile(), s.overlap(),
                s.maxMemoryBytes(), s.ensemble(), s.denoise());
        DiffusionUpscaler d = new DiffusionUpscaler(model, sampling);
        return new ShiftSr(gate, model, d, null, name, s, sampling.steps(), sampling.ensemble(), closed);
    }

    /**
     * Runs the model in {@code p} from now on (AUTO: bfloat16 where the CPU has native support, else fp32);
     * changes the model every view shares. Returns this.
     */
    public ShiftSr precision(Precision p) {
        if (model != null) {
            try (CallGate.Pass alone = gate.enterAlone()) {
                requireOpen();
                model.toPrecision(p);
            }
        }
        return this;
    }

    /** The precision the model runs in (FP32 for a classic method). */
    public Precision precision() {
        return model == null ? Precision.FP32 : model.precision();
    }

    /** The model (null for a classic method): its trained scales, step count and cost. */
    public ShiftSrModel model() {
        return model;
    }

    public Settings settings() {
        return settings;
    }

    /** Sampling steps at these settings (0 for a classic method or process BICUBIC). */
    public int steps() {
        return diffusion == null ? 0 : steps;
    }

    /** Self-ensemble members at these settings, each a run of {@link #steps()} network calls (0 for classic). */
    public int ensemble() {
        return diffusion == null ? 0 : ensemble;
    }

    /** The model file's name, or the method's. */
    public String name() {
        return name;
    }

    /** Output size for an input of w x h at this scale (MATLAB's rule: ceil(w * scale)). */
    public static int[] outputSize(int w, int h, double scale) {
        return new int[] {MatlabBicubic.outputSize(w, scale), MatlabBicubic.outputSize(h, scale)};
    }

    /** Network calls an upscale of a w x h input makes (tiles x steps x members), for progress bars; 0 for classic. */
    public int networkCalls(int w, int h, double scale) {
        if (diffusion == null) {
            return 0;
        }
        int[] out = outputSize(w, h, scale);
        return diffusion.tileCount(out[0], out[1]) * steps * ensemble;
    }

    /** Refuses a scale this model was not trained for (a classic method takes any positive scale). */
    public void requireScale(double scale) {
        if (!(scale > 0) || (diffusion != null && !(scale > 1))) {
            throw new IllegalArgumentException("scale must be above " + (diffusion == null ? 0 : 1) + ", got " + scale);
        }
        if (diffusion != null) {
            if (scale > Sampling.MAX_SCALE) {
                throw new IllegalArgumentException("scale must be at most " + (int) Sampling.MAX_SCALE
                        + " for the diffusion model, got " + scale);
            }
            model.requireScale(scale);
        }
    }

    public Image upscale(Image lr, double scale) {
        return upscale(lr, scale, null);
    }

    /**
     * Upscales, calling {@code onNetworkCall} (may be null) after every network evaluation. Alpha is resized
     * with bicubic; the result is described as coming from {@code lr} (bit depth, metadata).
     */
    public Image upscale(Image lr, double scale, IntConsumer onNetworkCall) {
        return upscale(lr, scale, denoiseReading(lr), onNetworkCall);
    }

    /**
     * What an upscale of {@code lr} at this view's {@code --denoise} tells the model about how degraded it is: the
     * level, and for auto the JPEG quality it stands for and what it was read from (the file's tables, the pixels,
     * a WebP's default, ...). Null when the model is not told one (a classic method, a clean-input model).
     */
    public DegradationLevel.Reading denoiseReading(Image lr) {
        return diffusion == null ? null : diffusion.reading(lr);
    }

    /**
     * As {@link #upscale(Image, double, IntConsumer)}, telling the model {@code told}'s level instead of reading
     * {@code lr}'s: e.g. {@link #denoiseReading} of the whole photo for each of its crops, since a crop may be too
     * small or too flat to show the JPEG it came from. Null: a clean input.
     */
    public Image upscale(Image lr, double scale, DegradationLevel.Reading told, IntConsumer onNetworkCall) {
        requireScale(scale);
        Encoding.requireOutput(lr, scale, "");
        try (CallGate.Pass pass = gate.enter()) {
            requireOpen();
            Image up = diffusion != null ? diffusion.rows(lr.withoutAlpha(), scale, told, onNetworkCall, null).toImage()
                    : classic.upscale(lr.withoutAlpha(), scale);
            if (lr.hasAlpha()) {
                Image alpha = MatlabBicubic.resize(Image.of(lr.width(), lr.height(), lr.alpha()),
                        up.width(), up.height(), scale);
                up = up.withAlpha(alpha.plane(0));
            }
            return up.withSourceOf(lr);
        }
    }

    /** Upscales a Java image (gray, RGB, with or without alpha, 8 or 16 bits). */
    public BufferedImage upscale(BufferedImage lr, double scale) {
        Image img = ImageReading.fromBuffered(lr);
        return ImageWriting.toBufferedImage(upscale(img, scale));
    }

    /**
     * Upscales an encoded image (PNG, JPEG, WebP, BMP, TIFF) to an encoded {@code format} ("png", "jpg",
     * "tiff"; JPEG at quality 95), metadata carried. Bad bytes throw {@code ImageException} with a one-line
     * message.
     */
    public byte[] upscale(byte[] encoded, double scale, String format) {
        return upscale(encoded, scale, format, null);
    }

    /**
     * As {@link #upscale(byte[], double, String)}, timing each stage on {@code clock} (null: not timed): decode,
     * y0, tiles, latent, network, blending, 8-bit rows and encode of an 8-bit PNG streamed from the tiles; any
     * other path (alpha, 16 bits, JPEG or TIFF out) is timed as decode, the upscale as OTHER, and encode.
     */
    public byte[] upscale(byte[] encoded, double scale, String format, StageClock clock) {
        return Encoding.toBytes(this, encoded, scale, format, clock);
    }

    /**
     * Reads {@code input}, upscales, writes {@code output} atomically in the format its extension names. Returns
     * what the model was told about the input ({@link #denoiseReading}; null for a model told nothing).
     */
    public DegradationLevel.Reading upscale(Path input, Path output, double scale) {
        return upscale(input, output, scale, ImageWriting.DEFAULT_JPEG_QUALITY, ImageReading.DEFAULT_MAX_PIXELS, null);
    }

    /**
     * As {@link #upscale(Path, Path, double)} with the JPEG quality (1-100), the input pixel limit (checked
     * before decoding) and a progress callback. An 8-bit PNG output without alpha streams from the tiles into
     * the encoder, so memory does not grow with the output (a 2048x2048 input to 8192x8192 in bounded memory).
     */
    public DegradationLevel.Reading upscale(Path input, Path output, double scale, int jpegQuality, long maxPixels,
            IntConsumer onNetworkCall) {
        return upscale(input, output, scale, jpegQuality, maxPixels, true, onNetworkCall);
    }

    /**
     * As {@link #upscale(Path, Path, double, int, long, IntConsumer)}; with {@code replace} off an existing output
     * is never replaced, not even one another process wrote meanwhile (an IO_ERROR ImageException then, see
     * ImageWriting.isExisting, and this output is dropped).
     */
    public DegradationLevel.Reading upscale(Path input, Path output, double scale, int jpegQuality, long maxPixels,
            boolean replace, IntConsumer onNetworkCall) {
        return Encoding.toFile(this, input, output, scale, jpegQuality, maxPixels, replace, onNetworkCall);
    }

    /**
     * Upscales an image to an encoded stream ("png", "jpg" or "tiff"; the stream is not closed), streaming an
     * 8-bit PNG from the tiles as {@link #upscale(Path, Path, double, int, long, IntConsumer)} does, so memory
     * stays bounded by a band of tiles: what a Spark task or a server writing to object storage needs.
     */
    public DegradationLevel.Reading upscale(Image lr, double scale, OutputStream out, String format,
            int jpegQuality, IntConsumer onNetworkCall) {
        return Encoding.toStream(this, lr, scale, out, format, jpegQuality, onNetworkCall, null);
    }

    /** The model's rows at this view's settings (null for a classic method or process BICUBIC), for Encoding. */
    DiffusionUpscaler.RowStream rows(Image lr, double scale, DegradationLevel.Reading told,
            IntConsumer onNetworkCall, StageClock clock) {
        return diffusion == null ? null : diffusion.rows(lr, scale, told, onNetworkCall, clock);
    }

    /** The gate every view of this model shares. */
    CallGate gate() {
        return gate;
    }

    void requireOpen() {
        if (closed[0]) {
            throw new IllegalStateException("this ShiftSr was closed");
        }
    }

    /** Frees the model's weights (every view made by {@link #with} shares them and is closed too). */
    @Override
    public void close() {
        try (CallGate.Pass alone = gate.enterAlone()) {
            if (!closed[0] && model != null) {
                model.release();
            }
            closed[0] = true;
        }
    }
}
