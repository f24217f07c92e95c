package io.shiftsr.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shiftsr.io.AtomicFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes the safetensors format: 8-byte little-endian header length, JSON header (padded with spaces to
 * 8 bytes), then the raw little-endian tensors back to back. Atomic: a temp file renamed over the target.
 */
public final class SafetensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsWriter() {}

    public static void write(Path path, List<TensorData> tensors, Map<String, String> metadata, DType storage) {
        if (storage == DType.BF16) {
            throw new IllegalArgumentException("writing BF16 is not supported");
        }
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (TensorData t : tensors) {
            if (t.numel() != t.values().length) {
                throw new IllegalArgumentException("tensor " + t.name() + ": shape does not match its values");
            }
            ObjectNode e = header.putObject(t.name());
            e.put("dtype", storage.name());
            var shape = e.putArray("shape");
            for (long s : t.shape()) {
                shape.add(s);
            }
            long end = offset + t.numel() * storage.bytes;
            e.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int padded = (json.length + 7) / 8 * 8;
        try {
            AtomicFiles.write(path, out -> writeBody(out, padded, json, tensors, storage));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(path + ": cannot write: " + e.getMessage(), e);
        }
    }

    private static void writeBody(OutputStream out, int padded, byte[] json, List<TensorData> tensors, DType storage)
            throws IOException {
        {
            OutputStream o = new BufferedOutputStream(out, 1 << 16);
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            o.write(len.array());
            o.write(json);
            for (int i = json.length; i < padded; i++) {
                o.write(' ');
            }
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (TensorData t : tensors) {
                for (float v : t.values()) {
                    if (buf.remaining() < 4) {
                        o.write(buf.array(), 0, buf.position());
                        buf.clear();
                    }
                    if (storage == DType.F32) {
                        buf.putFloat(v);
                    } else {
                        buf.putShort(Half.fromFloat(v));
                    }
                }
            }
            o.write(buf.array(), 0, buf.position());
            o.flush();
        }
    }
}
