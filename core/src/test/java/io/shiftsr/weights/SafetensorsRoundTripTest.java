package io.shiftsr.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRoundTripTest {

    @TempDir
    Path dir;

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * 3);
        }
        return v;
    }

    private static List<TensorData> sample() {
        float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MAX_VALUE, 1e-40f, 123.456f};
        return List.of(
                // deliberately not alphabetical: order must be preserved
                TensorData.of("z.last.weight", new long[] {64, 3, 3, 3}, random(64 * 27, 1)),
                TensorData.of("a.bias", new long[] {64}, random(64, 2)),
                TensorData.of("scalar", new long[] {}, new float[] {7.5f}),
                TensorData.of("empty", new long[] {0, 4}, new float[0]),
                TensorData.of("special", new long[] {2, 3}, special),
                // > 1 MB of data so the chunked read/write paths cross a chunk boundary
                TensorData.of("big", new long[] {300_001}, random(300_001, 3)));
    }

    @Test
    void f32RoundTripIsBitExactWithMetadataAndOrder() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("model", "resshift-x4");
        meta.put("unicode", "Grüße ✓");
        Path p = dir.resolve("model.safetensors");
        SafetensorsWriter.write(p, sample(), meta, DType.F32);

        SafetensorsFile f = SafetensorsReader.read(p);
        assertEquals(List.copyOf(meta.entrySet()), List.copyOf(f.metadata().entrySet()));
        assertEquals(sample().stream().map(TensorData::name).toList(), f.tensors().stream().map(TensorData::name).toList());
        for (TensorData expected : sample()) {
            TensorData got = f.tensor(expected.name());
            assertEquals(DType.F32, got.dtype());
            assertArrayEquals(expected.shape(), got.shape());
            float[] a = expected.values();
            float[] b = got.values();
            assertEquals(a.length, b.length);
            for (int i = 0; i < a.length; i++) {
                assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), expected.name() + "[" + i + "]");
            }
            assertEquals(expected, got); // content equality
        }
        assertEquals(List.copyOf(f.tensorsByName().keySet()), f.tensors().stream().map(TensorData::name).toList());
    }

    @Test
    void writtenLayoutFollowsTheSpec() throws IOException {
        Path p = dir.resolve("layout.safetensors");
        SafetensorsWriter.write(p, sample(), Map.of("format", "pt"), DType.F16);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        long n = b.getLong(0);
        assertEquals(0, (8 + n) % 8, "data section is 8-byte aligned");
        String json = new String(b.array(), 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\"__metadata__\":{\"format\":\"pt\"},\"z.last.weight\":{\"dtype\":\"F16\","
                + "\"shape\":[64,3,3,3],\"data_offsets\":[0,3456]},\"a.bias\":{\"dtype\":\"F16\",\"shape\":[64],"
                + "\"data_offsets\":[3456,3584]}"), json);
        assertTrue(json.substring(json.stripTrailing().length()).chars().allMatch(c -> c == ' '), "space padding");
        assertTrue(json.stripTrailing().endsWith("}"));
        long total = sample().stream().mapToLong(t -> 2L * t.numel()).sum();
        assertEquals(8 + n + total, Files.size(p), "offsets are contiguous and the file has no tail");
    }

    @Test
    void f16RoundTripWithinHalfPrecisionAndExactForHalfValues() {
        float[] halfExact = {0f, -0f, 1f, -2.5f, 65504f, -65504f, 0x1p-24f, 0x1p-14f, 1f + 0x1p-10f, 1024f, 0.099975586f};
        float[] general = random(5000, 9);
        Path p = dir.resolve("half.safetensors");
        SafetensorsWriter.write(p, List.of(
                TensorData.of("exact", new long[] {halfExact.length}, halfExact),
                TensorData.of("general", new long[] {50, 100}, general)), null, DType.F16);

        SafetensorsFile f = SafetensorsReader.read(p);
        assertEquals(Map.of(), f.metadata());
        TensorData exact = f.tensor("exact");
        assertEquals(DType.F16, exact.dtype());
        for (int i = 0; i < halfExact.length; i++) {
            assertEquals(Float.floatToRawIntBits(halfExact[i]), Float.floatToRawIntBits(exact.values()[i]));
        }
        float[] g = f.tensor("general").values();
        for (int i = 0; i < general.length; i++) {
            // binary16 has an 11-bit significand: relative error <= 2^-11 in the normal range
            float tol = Math.max(Math.abs(general[i]) * 0x1p-11f, 0x1p-25f);
            assertEquals(general[i], g[i], tol, "index " + i);
        }
    }

    @Test
    void bf16RoundTrip() {
        float[] v = random(1000, 5);
        Path p = dir.resolve("bf16.safetensors");
        SafetensorsWriter.write(p, List.of(TensorData.of("w", new long[] {10, 100}, v)), Map.of(), DType.BF16);
        TensorData t = SafetensorsReader.read(p).tensor("w");
        assertEquals(DType.BF16, t.dtype());
        for (int i = 0; i < v.length; i++) {
            assertEquals(v[i], t.values()[i], Math.abs(v[i]) * 0x1p-8f);
        }
    }

    /** A file assembled byte by byte from the public format description, including F16 and BF16 data. */
    @Test
    void readsHandWrittenSpecFile() throws IOException {
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"weight\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[16,22]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[22,24]}}";
        while ((json.length() % 8) != 0) {
            json += " "; // the spec allows trailing space padding
        }
        byte[] data = {
            0x00, 0x00, (byte) 0x80, 0x3f, // 1.0f
            0x00, 0x00, 0x00, (byte) 0xc0, // -2.0f
            0x00, 0x00, 0x00, 0x3f, // 0.5f
            0x00, 0x00, (byte) 0x80, 0x40, // 4.0f
            0x00, 0x3c, // half 1.0
            0x00, (byte) 0xb8, // half -0.5
            (byte) 0xff, 0x7b, // half 65504
            (byte) 0x49, 0x40, // bf16 0x4049 = 3.140625
        };
        Path p = TestFiles.write(dir, "spec.safetensors", TestFiles.safetensors(json, data));
        SafetensorsFile f = SafetensorsReader.read(p);
        assertEquals(Map.of("format", "pt"), f.metadata());
        assertEquals(List.of("weight", "h", "b"), List.copyOf(f.tensorsByName().keySet()));
        assertArrayEquals(new long[] {2, 2}, f.tensor("weight").shape());
        assertArrayEquals(new float[] {1f, -2f, 0.5f, 4f}, f.tensor("weight").values());
        assertArrayEquals(new float[] {1f, -0.5f, 65504f}, f.tensor("h").values());
        assertArrayEquals(new float[] {3.140625f}, f.tensor("b").values());
    }

    /** Our writer produces exactly the bytes the spec describes for a tiny 2x2 tensor. */
    @Test
    void writerBytesMatchHandBuiltFile() throws IOException {
        String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}";
        String padded = json + " ".repeat((8 - json.length() % 8) % 8);
        byte[] expected = TestFiles.safetensors(padded, TestFiles.f32(1f, 2f, 3f, 4f));
        Path p = dir.resolve("tiny.safetensors");
        SafetensorsWriter.write(p, List.of(TensorData.of("w", new long[] {2, 2}, new float[] {1f, 2f, 3f, 4f})),
                Map.of(), DType.F32);
        assertArrayEquals(expected, Files.readAllBytes(p));
    }
}
