package io.shiftsr.reliability;

import io.shiftsr.image.Image;
import io.shiftsr.image.ImageWriting;
import io.shiftsr.image.TestImages;
import io.shiftsr.weights.SafetensorsWriter;
import io.shiftsr.weights.TensorData;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Generated bad (and odd but valid) inputs for the reliability suite and the fuzzers' seed corpora. Everything
 * is made here from code, so the fixtures document exactly what they contain.
 */
public final class BadInputs {
    /** Smallest WebP files (lossy, lossless, with alpha) as used by browsers' WebP feature tests. */
    static final byte[] WEBP_LOSSY = Base64.getDecoder().decode("UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA");
    static final byte[] WEBP_LOSSLESS = Base64.getDecoder().decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==");
    static final byte[] WEBP_ALPHA = Base64.getDecoder().decode(
            "UklGRkoAAABXRUJQVlA4WAoAAAAQAAAAAAAAAAAAQUxQSAwAAAARBxAR/Q9ERP8DAABWUDggGAAAABQBAJ0BKgEAAQAAAP4AAA3AAP7mtQAAAA==");

    private BadInputs() {}

    /** Image files that must be refused with one line, by file name. */
    public static Map<String, byte[]> badImages() {
        byte[] png = png(TestImages.noise(24, 20, 3, false, 1));
        byte[] jpg = jpeg(TestImages.noise(24, 20, 3, false, 2));
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("zero-byte-png.png", new byte[0]);
        m.put("zero-byte-jpg.jpg", new byte[0]);
        m.put("zero-byte-webp.webp", new byte[0]);
        m.put("truncated-png.png", Arrays.copyOf(png, png.length / 2));
        m.put("truncated-jpg.jpg", Arrays.copyOf(jpg, jpg.length / 2));
        m.put("truncated-webp.webp", Arrays.copyOf(WEBP_LOSSY, WEBP_LOSSY.length - 10));
        m.put("corrupt-png.png", scramble(png, 60));
        m.put("corrupt-jpg.jpg", scramble(jpg, 200));
        m.put("corrupt-webp.webp", scramble(WEBP_LOSSLESS, 20));
        m.put("huge-header.png", hugePngHeader(60000, 60000));
        m.put("text-named.png", "this is not an image\n".getBytes(StandardCharsets.UTF_8));
        return m;
    }

    /** Odd but valid images every entry point must handle. */
    public static Map<String, byte[]> oddImages() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("cmyk.jpg", cmykJpeg(20, 16));
        m.put("sixteen-bit.png", png(TestImages.noise(18, 14, 3, false, 3).withSourceBitDepth(16)));
        m.put("palette.png", palettePng(17, 13));
        m.put("one-pixel.png", png(TestImages.noise(1, 1, 3, false, 4)));
        m.put("one-row.png", png(TestImages.noise(9, 1, 3, false, 5)));
        m.put("one-column.png", png(TestImages.noise(1, 9, 3, false, 6)));
        m.put("lossy.webp", WEBP_LOSSY);
        m.put("lossless.webp", WEBP_LOSSLESS);
        m.put("alpha.webp", WEBP_ALPHA);
        return m;
    }

    /** Writes a map of fixtures into a folder. */
    public static void writeAll(Map<String, byte[]> files, Path dir) {
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                Files.write(dir.resolve(e.getKey()), e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] png(Image img) {
        return encode(img, ".png");
    }

    static byte[] jpeg(Image img) {
        return encode(img, ".jpg");
    }

    /** Through ImageWriting.write, which keeps 16 bits and alpha in PNG. */
    private static byte[] encode(Image img, String ext) {
        try {
            Path tmp = Files.createTempFile("bad-inputs", ext);
            ImageWriting.write(img, tmp);
            byte[] b = Files.readAllBytes(tmp);
            Files.delete(tmp);
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Overwrites a stretch of bytes in the middle (past the header) with a fixed pattern. */
    static byte[] scramble(byte[] b, int start) {
        byte[] out = b.clone();
        for (int i = Math.min(start, out.length - 1); i < Math.min(out.length - 4, start + 64); i++) {
            out[i] = (byte) (i * 37 + 11);
        }
        return out;
    }

    /** A PNG whose IHDR claims w x h RGB, followed by a tiny IDAT: only the header is plausible. */
    public static byte[] hugePngHeader(int w, int h) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0)
                    .put((byte) 0).put((byte) 0);
            chunk(out, "IHDR", ihdr.array());
            Deflater d = new Deflater();
            d.setInput(new byte[1000]);
            d.finish();
            byte[] z = new byte[1000];
            int n = d.deflate(z);
            chunk(out, "IDAT", Arrays.copyOf(z, n));
            chunk(out, "IEND", new byte[0]);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeInt(data.length);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }

    /** A 4-channel (CMYK) baseline JPEG written from a raster, as print workflows produce. */
    static byte[] cmykJpeg(int w, int h) {
        WritableRaster r = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setPixel(x, y, new int[] {x * 10 % 256, y * 15 % 256, (x + y) * 5 % 256, 30});
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(r, null, null), writer.getDefaultWriteParam());
            ios.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    static byte[] palettePng(int w, int h) {
        byte[] reds = new byte[16], greens = new byte[16], blues = new byte[16];
        for (int i = 0; i < 16; i++) {
            reds[i] = (byte) (i * 16);
            greens[i] = (byte) (255 - i * 16);
            blues[i] = (byte) (i * 7);
        }
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(4, 16, reds, greens, blues));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                bi.getRaster().setSample(x, y, 0, (x + y) % 16);
            }
        }
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
            ImageIO.write(bi, "png", bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Weights files that must be refused, by name: non-finite values, truncation, huge claims. */
    public static Map<String, byte[]> badWeights(byte[] validModel) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("truncated.safetensors", Arrays.copyOf(validModel, validModel.length / 2));
        m.put("zero-byte.safetensors", new byte[0]);
        m.put("nan.safetensors", withFirstValue(validModel, Float.NaN));
        m.put("inf.safetensors", withFirstValue(validModel, Float.POSITIVE_INFINITY));
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[100000,100000,100000],\"data_offsets\":[0,16]}}";
        m.put("huge-claim.safetensors", safetensors(header, new byte[16]));
        m.put("not-json.safetensors", safetensors("{not json", new byte[0]));
        return m;
    }

    /** The same file with the first float of the data section replaced (the first tensor must be F32). */
    static byte[] withFirstValue(byte[] file, float v) {
        byte[] out = file.clone();
        long headerLen = ByteBuffer.wrap(out, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        ByteBuffer.wrap(out, (int) (8 + headerLen), 4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v);
        return out;
    }

    static byte[] safetensors(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return b.array();
    }

    /** Small valid safetensors files for the fuzz corpus. */
    static Map<String, byte[]> validWeights() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try {
            Path tmp = Files.createTempFile("seed", ".safetensors");
            SafetensorsWriter.write(tmp, List.of(TensorData.of("a", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}),
                    TensorData.of("b.bias", new long[] {1}, new float[] {-0.5f})), Map.of("format", "pt"));
            m.put("two-tensors.safetensors", Files.readAllBytes(tmp));
            Files.delete(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String f16 = "{\"__metadata__\":{\"k\":\"v\"},\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"g\":{\"dtype\":\"BF16\",\"shape\":[1,1],\"data_offsets\":[4,6]}}";
        m.put("half.safetensors", safetensors(f16, new byte[] {0, 60, 0, -68, -128, 63}));
        m.put("empty.safetensors", safetensors("{}", new byte[0]));
        return m;
    }

    /** Writes the fuzzers' seed corpora (run once; the files are committed). */
    public static void main(String[] args) {
        Path root = Path.of("core/src/test/resources/io/shiftsr/fuzz");
        Map<String, byte[]> images = new LinkedHashMap<>(oddImages());
        images.put("rgb.png", png(TestImages.noise(8, 6, 3, false, 7)));
        images.put("gray.png", png(TestImages.noise(8, 6, 1, false, 8)));
        images.put("alpha.png", png(TestImages.noise(8, 6, 3, true, 9)));
        images.put("rgb.jpg", jpeg(TestImages.noise(8, 8, 3, false, 10)));
        images.put("gray.jpg", jpeg(TestImages.noise(8, 8, 1, false, 11)));
        images.putAll(badImages());
        images.put("huge-header.png", hugePngHeader(60000, 60000));
        writeAll(images, root.resolve("ImageReaderFuzzTestInputs/readsAnyBytes"));
        Map<String, byte[]> weights = new LinkedHashMap<>(validWeights());
        weights.putAll(badWeights(weights.get("two-tensors.safetensors")));
        writeAll(weights, root.resolve("SafetensorsFuzzTestInputs/parsesAnyBytes"));
    }
}
