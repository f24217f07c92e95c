package io.shiftsr.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shiftsr.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Writes safetensors files atomically: the bytes go to a temp file in the target directory,
 * are fsynced, then renamed over the target, so a crash or error never leaves a half-written
 * checkpoint under the real name (and an existing file survives a failed write).
 */
public final class SafetensorsWriter {

    private static final int CHUNK_BYTES = 1 << 20;

    private SafetensorsWriter() {
    }

    /** Writes F32. */
    public static void write(Path path, List<TensorData> tensors, Map<String, String> metadata) {
        write(path, tensors, metadata, DType.F32);
    }

    /**
     * @param tensors  written in this order, data contiguous; names must be unique
     * @param metadata string metadata for {@code __metadata__}; null or empty writes none
     * @param storage  on-disk dtype for every tensor (F32, F16 or BF16; narrowing rounds to nearest even)
     */
    public static void write(Path path, List<TensorData> tensors, Map<String, String> metadata,
                             DType storage) {
        write(path, tensors, metadata, storage, i -> { });
    }

    /** afterTensor is a test hook, called with each tensor index after its bytes are queued. */
    static void write(Path path, List<TensorData> tensors, Map<String, String> metadata,
                      DType storage, IntConsumer afterTensor) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(storage, "storage");
        // Snapshot first: header and data must describe the same list even if the caller's changes.
        TensorData[] list = tensors.toArray(new TensorData[0]);
        byte[] header = buildHeader(path, list, metadata == null ? Map.of() : metadata, storage);

        try {
            AtomicFiles.write(path, out -> {
                WritableByteChannel ch = Channels.newChannel(out);
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
                writeFully(ch, len);
                writeFully(ch, ByteBuffer.wrap(header));
                ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < list.length; i++) {
                    writeValues(ch, buf, list[i].values(), storage);
                    afterTensor.accept(i);
                }
                buf.flip();
                writeFully(ch, buf);
            });
        } catch (IOException e) {
            throw new WeightsException(path + ": cannot write: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    static byte[] buildHeader(Path path, TensorData[] tensors, Map<String, String> metadata, DType storage) {
        ObjectNode root = SafetensorsHeader.MAPPER.createObjectNode(); // keeps insertion order
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(SafetensorsHeader.METADATA_KEY);
            metadata.forEach((k, v) -> meta.put(Objects.requireNonNull(k, "metadata key"),
                    Objects.requireNonNull(v, "metadata value")));
        }
        Set<String> names = new HashSet<>();
        long offset = 0;
        for (int i = 0; i < tensors.length; i++) {
            TensorData t = Objects.requireNonNull(tensors[i], "tensor " + i);
            if (t.name().equals(SafetensorsHeader.METADATA_KEY)) {
                throw new WeightsException(path + ": tensor name " + WeightsException.quote(t.name()) + " is reserved");
            }
            if (!names.add(t.name())) {
                throw new WeightsException(path + ": duplicate tensor name " + WeightsException.quote(t.name()));
            }
            long end = offset + (long) t.numel() * storage.byteSize();
            ObjectNode entry = root.putObject(t.name());
            entry.put("dtype", storage.name());
            ArrayNode shape = entry.putArray("shape");
            Arrays.stream(t.shape()).forEach(shape::add);
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json;
        try {
            json = SafetensorsHeader.MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new WeightsException(path + ": cannot encode header: " + e.getOriginalMessage(), e);
        }
        // Pad with spaces so the data section starts 8-byte aligned (8 + padded length).
        int padded = (json.length + 7) & ~7;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static void writeValues(WritableByteChannel ch, ByteBuffer buf, float[] values, DType storage) throws IOException {
        int size = storage.byteSize();
        for (float v : values) {
            if (buf.remaining() < size) {
                buf.flip();
                writeFully(ch, buf);
                buf.clear();
            }
            switch (storage) {
                case F32 -> buf.putFloat(v);
                case F16 -> buf.putShort(HalfPrecision.floatToHalf(v));
                case BF16 -> buf.putShort(HalfPrecision.floatToBf16(v));
            }
        }
    }

    private static void writeFully(WritableByteChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
