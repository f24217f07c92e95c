package io.shiftsr.weights;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    static final List<TensorData> TENSORS = List.of(
            new TensorData("b.weight", DType.F32, new long[] {2, 3}, new float[] {1, -2, 3.5f, 1e-7f, -0f, 65504f}),
            new TensorData("a.bias", DType.F32, new long[] {3}, new float[] {0.1f, 0.2f, 0.3f}));

    @Test
    void float32RoundTripIsBitExactWithOrderAndMetadata() {
        Path f = dir.resolve("m.safetensors");
        SafetensorsWriter.write(f, TENSORS, Map.of("format", "x", "note", "hello"), DType.F32);
        SafetensorsFile r = SafetensorsReader.read(f);
        assertEquals(Map.of("format", "x", "note", "hello"), r.metadata());
        assertEquals(List.of("b.weight", "a.bias"), r.tensors().stream().map(TensorData::name).toList());
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(TENSORS.get(i).shape(), r.tensors().get(i).shape());
            assertArrayEquals(TENSORS.get(i).values(), r.tensors().get(i).values());
        }
    }

    @Test
    void float16RoundTripIsWithinHalfPrecision() {
        Path f = dir.resolve("h.safetensors");
        SafetensorsWriter.write(f, TENSORS, Map.of(), DType.F16);
        float[] back = SafetensorsReader.read(f).tensors().get(0).values();
        float[] orig = TENSORS.get(0).values();
        for (int i = 0; i < orig.length; i++) {
            assertEquals(orig[i], back[i], Math.max(1e-7, Math.abs(orig[i]) * 1e-3), "value " + i);
        }
        assertEquals(65504f, back[5]); // the largest half is exact
    }

    @Test
    void halfConversionEdgeCases() {
        assertEquals(0, Half.fromFloat(0f));
        assertEquals((short) 0x8000, Half.fromFloat(-0f));
        assertEquals((short) 0x7C00, Half.fromFloat(1e6f)); // overflow -> +inf
        assertEquals((short) 0x7BFF, Half.fromFloat(65504f));
        assertTrue(Float.isNaN(Half.toFloat(Half.fromFloat(Float.NaN))));
        assertEquals(0x1p-24f, Half.toFloat(Half.fromFloat(0x1p-24f))); // smallest subnormal
        assertEquals((short) 0x3C00, Half.fromFloat(1f + 0x1p-11f)); // tie rounds to even (down)
        assertEquals((short) 0x3C02, Half.fromFloat(1f + 3 * 0x1p-11f)); // tie rounds to even (up)
        for (int h = 0; h < 0x7C00; h++) { // every finite half survives a round trip
            assertEquals((short) h, Half.fromFloat(Half.toFloat((short) h)));
        }
    }

    /** A file made by hand, byte for byte from the public spec, reads correctly (interoperability). */
    @Test
    void readsAHandWrittenFile() throws IOException {
        String json = "{\"__metadata__\":{\"k\":\"v\"},\"x\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}";
        ByteBuffer b = ByteBuffer.allocate(8 + json.length() + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length()).put(json.getBytes(StandardCharsets.UTF_8));
        b.putFloat(1).putFloat(2).putFloat(3).putFloat(4);
        Path f = dir.resolve("hand.safetensors");
        Files.write(f, b.array());
        SafetensorsFile r = SafetensorsReader.read(f);
        assertArrayEquals(new float[] {1, 2, 3, 4}, r.byName().get("x").values());
        assertEquals("v", r.metadata().get("k"));
    }

    private Path valid() {
        Path f = dir.resolve("ok.safetensors");
        SafetensorsWriter.write(f, TENSORS, Map.of(), DType.F32);
        return f;
    }

    private String refusal(byte[] bytes) throws IOException {
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, bytes);
        WeightsException e = assertThrows(WeightsException.class, () -> SafetensorsReader.read(f));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(f.toString()), "names the file: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void refusesTruncatedFiles() throws IOException {
        byte[] ok = Files.readAllBytes(valid());
        assertTrue(refusal(Arrays.copyOf(ok, ok.length - 5)).contains("truncated"));
        assertTrue(refusal(Arrays.copyOf(ok, 5)).contains("not a safetensors file"));
        assertTrue(refusal(new byte[0]).contains("not a safetensors file"));
    }

    @Test
    void refusesBadHeaders() throws IOException {
        ByteBuffer huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).putLong(0);
        assertTrue(refusal(huge.array()).contains("header length"));
        assertTrue(refusal(withHeader("{not json")).contains("not valid JSON"));
        assertTrue(refusal(withHeader("[1,2]")).contains("not a JSON object"));
        assertTrue(refusal(withHeader("{\"x\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}"))
                .contains("unsupported dtype"));
        assertTrue(refusal(withHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}"))
                .contains("needs 12 bytes"));
        assertTrue(refusal(withHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[2]}}")).contains("lacks"));
    }

    @Test
    void refusesHugeClaimedTensorsBeforeAllocating() throws IOException {
        String h = "{\"x\":{\"dtype\":\"F32\",\"shape\":[1000000,1000000],\"data_offsets\":[0,4000000000000]}}";
        long t0 = System.nanoTime();
        String msg = refusal(withHeader(h));
        assertTrue(msg.contains("more than") || msg.contains("truncated"), msg);
        assertTrue(System.nanoTime() - t0 < 1_000_000_000L);
        String h2 = "{\"x\":{\"dtype\":\"F32\",\"shape\":[100000000],\"data_offsets\":[0,400000000]}}";
        assertTrue(refusal(withHeader(h2)).contains("truncated"));
    }

    @Test
    void refusesNonFiniteValuesUnlessAllowed() {
        Path f = dir.resolve("nan.safetensors");
        SafetensorsWriter.write(f, List.of(new TensorData("w", DType.F32, new long[] {2}, new float[] {1, Float.NaN})),
                Map.of(), DType.F32);
        WeightsException e = assertThrows(WeightsException.class, () -> SafetensorsReader.read(f));
        assertTrue(e.getMessage().contains("'w' contains NaN or Inf"));
        assertTrue(Float.isNaN(SafetensorsReader.read(f, true).tensors().get(0).values()[1]));
    }

    @Test
    void requireShapesNamesTheFirstMismatch() {
        SafetensorsFile r = SafetensorsReader.read(valid());
        Map<String, long[]> expected = new LinkedHashMap<>();
        expected.put("b.weight", new long[] {2, 3});
        expected.put("a.bias", new long[] {3});
        r.requireShapes(expected);
        expected.put("b.weight", new long[] {3, 2});
        assertTrue(assertThrows(WeightsException.class, () -> r.requireShapes(expected)).getMessage()
                .contains("tensor 'b.weight': expected shape [3, 2] but the file has [2, 3]"));
        expected.put("b.weight", new long[] {2, 3});
        expected.put("c", new long[] {1});
        assertTrue(assertThrows(WeightsException.class, () -> r.requireShapes(expected)).getMessage()
                .contains("missing tensor 'c'"));
        expected.remove("c");
        expected.remove("a.bias");
        assertTrue(assertThrows(WeightsException.class, () -> r.requireShapes(expected)).getMessage()
                .contains("unexpected tensor 'a.bias'"));
    }

    @Test
    void failedWriteLeavesTheOldFileAndNoTemp() throws IOException {
        Path f = valid();
        byte[] before = Files.readAllBytes(f);
        List<TensorData> broken = List.of(new TensorData("x", DType.F32, new long[] {4}, new float[] {1}));
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(f, broken, Map.of(), DType.F32));
        assertArrayEquals(before, Files.readAllBytes(f));
        try (var s = Files.list(dir)) {
            assertEquals(List.of(f.getFileName().toString()), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    private static byte[] withHeader(String json) {
        byte[] j = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + j.length).order(ByteOrder.LITTLE_ENDIAN).putLong(j.length).put(j).array();
    }
}
