package io.shiftsr.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRefusalTest {

    @TempDir
    Path dir;

    /** Reads a hand-built file, expects a refusal, checks it is one line prefixed with the file. */
    private String refused(String json, byte[] data) throws IOException {
        return refused(TestFiles.write(dir, "model.safetensors", TestFiles.safetensors(json, data)));
    }

    private String refused(Path p) {
        return refused(p, ReadOptions.DEFAULTS);
    }

    private String refused(Path p, ReadOptions options) {
        WeightsException e = assertThrows(WeightsException.class, () -> SafetensorsReader.read(p, options));
        String m = e.getMessage();
        assertFalse(m.contains("\n") || m.contains("\r"), "one line: " + m);
        assertTrue(m.startsWith(p + ": "), "names the file: " + m);
        return m.substring(p.toString().length() + 2);
    }

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    @Test
    void truncatedMidTensor() throws IOException {
        Path p = dir.resolve("model.safetensors");
        SafetensorsWriter.write(p, List.of(
                TensorData.of("a", new long[] {4}, new float[4]),
                TensorData.of("x", new long[] {8}, new float[8])), Map.of(), DType.F32);
        byte[] all = Files.readAllBytes(p);
        Files.write(p, Arrays.copyOf(all, all.length - 10)); // cut inside 'x'
        assertEquals("truncated: tensor 'x' needs bytes up to " + all.length + " but the file has " + (all.length - 10),
                refused(p));
    }

    @Test
    void tooShortFile() throws IOException {
        assertEquals("too short to be a safetensors file (5 bytes, need at least 8)",
                refused(TestFiles.write(dir, "short.safetensors", new byte[5])));
    }

    @Test
    void headerLengthBeyondFile() throws IOException {
        byte[] bytes = TestFiles.safetensors("{}", new byte[0]);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1000);
        assertEquals("header length 1000 is larger than the rest of the file (2 bytes)",
                refused(TestFiles.write(dir, "h.safetensors", bytes)));
        // 0xFFFF... is an unsigned length, not -1
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1);
        assertTrue(refused(TestFiles.write(dir, "h.safetensors", bytes)).startsWith("header length 18446744073709551615 "));
    }

    @Test
    void headerLongerThan100MbRefusedWithoutReadingIt() throws IOException {
        Path p = dir.resolve("sparse.safetensors");
        long n = 100L * 1024 * 1024 + 8;
        try (var ch = java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.SPARSE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, n));
            ch.write(ByteBuffer.wrap(new byte[] {' '}), 8 + n - 1); // file just long enough
        }
        assertEquals("header length " + n + " exceeds the limit of 104857600 bytes", refused(p));
    }

    @Test
    void garbageJson() throws IOException {
        String unclosed = refused("{\"a\": [1, 2", new byte[0]);
        assertTrue(unclosed.startsWith("header is not valid JSON: Unexpected end-of-input"), unclosed);
        assertFalse(unclosed.contains("Source"), unclosed);
        assertTrue(refused("{}{}", new byte[0]).startsWith("header is not valid JSON: "));
        assertTrue(refused("not json at all", new byte[0]).startsWith("header is not valid JSON: "));
        assertTrue(refused("{} trailing", new byte[0]).startsWith("header is not valid JSON: "));
        assertEquals("header is not a JSON object but array", refused("[1,2]", new byte[0]));
        assertEquals("header is empty", refused("        ", new byte[0]));
        byte[] badUtf8 = TestFiles.safetensors("{\"x\":1}", new byte[0]);
        badUtf8[10] = (byte) 0xff;
        assertTrue(refused(TestFiles.write(dir, "u.safetensors", badUtf8)).startsWith("header is not valid JSON: "));
    }

    @Test
    void duplicateTensorNames() throws IOException {
        String m = refused("{" + entry("w", "F32", "[1]", 0, 4) + "," + entry("w", "F32", "[1]", 4, 8) + "}", new byte[8]);
        assertTrue(m.startsWith("header is not valid JSON: Duplicate field 'w'"), m);
    }

    @Test
    void missingFieldsAndBadTypes() throws IOException {
        assertEquals("tensor 'w': missing \"dtype\"", refused("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]));
        assertEquals("tensor 'w': missing \"shape\"", refused("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", new byte[4]));
        assertEquals("tensor 'w': missing \"data_offsets\"", refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", new byte[4]));
        assertEquals("tensor 'w': entry is not a JSON object", refused("{\"w\":3}", new byte[0]));
        assertEquals("tensor 'w': shape element 0 is not an integer: 1.5", refused("{" + entry("w", "F32", "[1.5]", 0, 4) + "}", new byte[4]));
        assertEquals("__metadata__ value for 'k' is not a string", refused("{\"__metadata__\":{\"k\":1}}", new byte[0]));
    }

    @Test
    void unknownDtype() throws IOException {
        assertEquals("tensor 'w': unsupported dtype 'I64' (supported: [F32, F16, BF16])",
                refused("{" + entry("w", "I64", "[1]", 0, 8) + "}", new byte[8]));
    }

    @Test
    void negativeDimension() throws IOException {
        assertEquals("tensor 'w': negative dimension in shape [-1,4]", refused("{" + entry("w", "F32", "[-1,4]", 0, 16) + "}", new byte[16]));
    }

    @Test
    void shapeBytesMismatch() throws IOException {
        assertEquals("tensor 'w': shape [2, 2] of F32 needs 16 bytes but data_offsets [0,12] span 12",
                refused("{" + entry("w", "F32", "[2,2]", 0, 12) + "}", new byte[12]));
    }

    @Test
    void overlappingGapsAndTrailingBytes() throws IOException {
        assertEquals("tensors 'a' and 'b' overlap in the data section (byte 4)",
                refused("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[1]", 4, 8) + "}", new byte[8]));
        assertEquals("data section has 4 unused bytes at offset 4 before tensor 'b'",
                refused("{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("b", "F32", "[1]", 8, 12) + "}", new byte[12]));
        assertEquals("data section has 4 unused trailing bytes after the last tensor",
                refused("{" + entry("a", "F32", "[1]", 0, 4) + "}", new byte[8]));
    }

    @Test
    void hugeClaimedShapesAreRefusedFromTheHeader() throws IOException {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            // 1e12 elements, byte count consistent: refused by the per-tensor element limit
            assertEquals("tensor 'x': shape [1000000000000] has 1000000000000 elements, more than the limit 2147483647",
                    refused("{" + entry("x", "F32", "[1000000000000]", 0, 4_000_000_000_000L) + "}", new byte[16]));
            // 2e9 floats = 8 GB, over the test JVM's 6 GB heap: must be refused as truncated before allocating
            // (header is 72 bytes, so the data section starts at 80 and the file is 96 bytes)
            assertEquals("truncated: tensor 'x' needs bytes up to 8000000080 but the file has 96",
                    refused("{" + entry("x", "F32", "[2000000000]", 0, 8_000_000_000L) + "}", new byte[16]));
            // product overflows 64 bits
            assertEquals("tensor 'x': shape [10000000000, 10000000000] overflows a 64-bit byte count",
                    refused("{" + entry("x", "F32", "[10000000000,10000000000]", 0, 4) + "}", new byte[4]));
        });
    }

    @Test
    void configurableNumelLimits() throws IOException {
        Path p = TestFiles.write(dir, "m.safetensors", TestFiles.safetensors(
                "{" + entry("a", "F32", "[3]", 0, 12) + "," + entry("b", "F32", "[3]", 12, 24) + "}", new byte[24]));
        assertEquals("tensor 'a': shape [3] has 3 elements, more than the limit 2",
                refused(p, ReadOptions.DEFAULTS.withMaxTensorNumel(2)));
        assertEquals("tensors up to 'b' have 6 elements in total, more than the limit 5",
                refused(p, ReadOptions.DEFAULTS.withMaxTotalNumel(5)));
        assertEquals(2, SafetensorsReader.read(p, ReadOptions.DEFAULTS.withMaxTotalNumel(6)).tensors().size());
    }

    @Test
    void nonFiniteValuesRefusedUnlessAllowed() throws IOException {
        Path p = dir.resolve("nan.safetensors");
        SafetensorsWriter.write(p, List.of(
                TensorData.of("ok", new long[] {2}, new float[] {1, 2}),
                TensorData.of("x", new long[] {3}, new float[] {1, Float.NaN, 3})), Map.of(), DType.F32);
        assertEquals("tensor 'x' contains NaN or Inf (first at flat index 1: NaN)", refused(p));
        TensorData x = SafetensorsReader.read(p, ReadOptions.DEFAULTS.withAllowNonFinite(true)).tensor("x");
        assertTrue(Float.isNaN(x.values()[1]));

        Path inf = dir.resolve("inf.safetensors"); // 1e6 overflows to inf when stored as F16
        SafetensorsWriter.write(inf, List.of(TensorData.of("y", new long[] {1}, new float[] {1e6f})), Map.of(), DType.F16);
        assertEquals("tensor 'y' contains NaN or Inf (first at flat index 0: Infinity)", refused(inf));
    }

    @Test
    void missingFileIsOneLine() {
        String m = refused(dir.resolve("absent.safetensors"));
        assertTrue(m.startsWith("cannot read: NoSuchFileException"), m);
    }

    @Test
    void controlCharactersInNamesDoNotBreakTheLine() throws IOException {
        String m = refused("{" + entry("a\\nb", "I8", "[1]", 0, 1) + "}", new byte[1]);
        assertEquals("tensor 'a\\u000ab': unsupported dtype 'I8' (supported: [F32, F16, BF16])", m);
    }

    @Test
    void requireShapesNamesTheFirstMismatch() {
        Path p = dir.resolve("blocks.safetensors");
        SafetensorsWriter.write(p, List.of(
                TensorData.of("blocks.0.conv.weight", new long[] {32, 64, 3, 3}, new float[32 * 64 * 9]),
                TensorData.of("blocks.0.conv.bias", new long[] {64}, new float[64]),
                TensorData.of("extra", new long[] {1}, new float[1])), Map.of(), DType.F16);
        SafetensorsFile f = SafetensorsReader.read(p);

        Map<String, long[]> expected = new LinkedHashMap<>();
        expected.put("blocks.0.conv.weight", new long[] {64, 64, 3, 3});
        expected.put("blocks.0.conv.bias", new long[] {64});
        assertEquals(p + ": tensor 'blocks.0.conv.weight': expected shape [64, 64, 3, 3] but the file has [32, 64, 3, 3]",
                assertThrows(WeightsException.class, () -> f.requireShapes(expected)).getMessage());

        expected.put("blocks.0.conv.weight", new long[] {32, 64, 3, 3});
        assertEquals(p + ": unexpected tensor 'extra' with shape [1]",
                assertThrows(WeightsException.class, () -> f.requireShapes(expected)).getMessage());

        expected.put("extra", new long[] {1});
        expected.put("blocks.1.conv.weight", new long[] {64, 64, 3, 3});
        assertEquals(p + ": missing tensor 'blocks.1.conv.weight' (expected shape [64, 64, 3, 3])",
                assertThrows(WeightsException.class, () -> f.requireShapes(expected)).getMessage());

        expected.remove("blocks.1.conv.weight");
        assertSame(f, f.requireShapes(expected));
        assertArrayEquals(new long[] {64}, f.tensor("blocks.0.conv.bias").shape());
    }
}
