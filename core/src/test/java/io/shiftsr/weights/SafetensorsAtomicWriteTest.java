package io.shiftsr.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsAtomicWriteTest {

    @TempDir
    Path dir;

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<TensorData> tensors(float fill) {
        float[] v = new float[400_000]; // > 1 MB so the write spans several chunks
        java.util.Arrays.fill(v, fill);
        return List.of(TensorData.of("a", new long[] {400_000}, v), TensorData.of("b", new long[] {2}, new float[] {fill, fill}));
    }

    @Test
    void successfulWriteLeavesOnlyTheTarget() throws IOException {
        Path p = dir.resolve("model.safetensors");
        SafetensorsWriter.write(p, tensors(1f), Map.of(), DType.F32);
        SafetensorsWriter.write(p, tensors(2f), Map.of(), DType.F32); // replaces the existing file
        assertEquals(List.of("model.safetensors"), listing());
        assertEquals(2f, SafetensorsReader.read(p).tensor("b").values()[0]);
    }

    @Test
    void failureMidDataKeepsTheOldFileAndRemovesTheTemp() throws IOException {
        Path p = dir.resolve("model.safetensors");
        SafetensorsWriter.write(p, tensors(1f), Map.of("v", "1"), DType.F32);
        byte[] before = Files.readAllBytes(p);

        RuntimeException boom = new IllegalStateException("disk on fire");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> SafetensorsWriter.write(
                p, tensors(2f), Map.of("v", "2"), DType.F32, i -> {
                    if (i == 0) {
                        try {
                            assertEquals(2, listing().size(), "temp file sits next to the target while writing");
                        } catch (IOException e) {
                            throw new AssertionError(e);
                        }
                        throw boom; // after the header and part of the data went to the temp file
                    }
                }));
        assertEquals(boom, thrown);
        assertArrayEquals(before, Files.readAllBytes(p));
        assertEquals(List.of("model.safetensors"), listing());
    }

    @Test
    void tensorListThrowingMidwayKeepsTheOldFile() throws IOException {
        Path p = dir.resolve("model.safetensors");
        SafetensorsWriter.write(p, tensors(1f), Map.of(), DType.F32);
        byte[] before = Files.readAllBytes(p);
        List<TensorData> good = tensors(2f);
        List<TensorData> failing = new AbstractList<>() {
            @Override
            public TensorData get(int i) {
                if (i == 1) {
                    throw new IllegalStateException("tensor source failed");
                }
                return good.get(i);
            }

            @Override
            public int size() {
                return 2;
            }
        };
        assertThrows(IllegalStateException.class, () -> SafetensorsWriter.write(p, failing, Map.of(), DType.F16));
        assertArrayEquals(before, Files.readAllBytes(p));
        assertEquals(List.of("model.safetensors"), listing());
    }

    @Test
    void failedRenameRemovesTheTemp() throws IOException {
        Path target = Files.createDirectory(dir.resolve("taken.safetensors"));
        Files.writeString(target.resolve("keep"), "x"); // a non-empty directory cannot be replaced
        WeightsException e = assertThrows(WeightsException.class,
                () -> SafetensorsWriter.write(target, tensors(1f), Map.of(), DType.F32));
        assertTrue(e.getMessage().startsWith(target + ": cannot write: "), e.getMessage());
        assertEquals(List.of("taken.safetensors"), listing());
        assertEquals("x", Files.readString(target.resolve("keep")));
    }

    @Test
    void refusesDuplicateAndReservedNames() throws IOException {
        Path p = dir.resolve("m.safetensors");
        TensorData t = TensorData.of("w", new long[] {1}, new float[1]);
        assertEquals(p + ": duplicate tensor name 'w'",
                assertThrows(WeightsException.class, () -> SafetensorsWriter.write(p, List.of(t, t), Map.of())).getMessage());
        TensorData reserved = TensorData.of("__metadata__", new long[] {1}, new float[1]);
        assertThrows(WeightsException.class, () -> SafetensorsWriter.write(p, List.of(reserved), Map.of()));
        assertEquals(List.of(), listing());
    }

    @Test
    void tensorDataValidatesShapeAgainstValues() {
        assertThrows(IllegalArgumentException.class, () -> TensorData.of("w", new long[] {2, 3}, new float[5]));
        assertThrows(IllegalArgumentException.class, () -> TensorData.of("w", new long[] {-1}, new float[0]));
        long[] shape = {2};
        TensorData t = TensorData.of("w", shape, new float[2]);
        shape[0] = 99;
        assertArrayEquals(new long[] {2}, t.shape(), "shape is copied");
        assertEquals(2, t.numel());
    }
}
