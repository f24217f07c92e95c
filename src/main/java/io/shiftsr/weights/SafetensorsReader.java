package io.shiftsr.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads safetensors files defensively: every size in the header is checked against the file before any
 * tensor memory is allocated, so a truncated file or a header claiming huge tensors is refused with one
 * line naming the problem, never an OutOfMemoryError.
 */
public final class SafetensorsReader {
    /** Larger headers are refused: ours are a few kB, the format's own readers cap at 100 MB. */
    static final long MAX_HEADER_BYTES = 100L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsReader() {}

    public static SafetensorsFile read(Path path) {
        return read(path, false);
    }

    /** @param allowNonFinite accept NaN and infinite values (refused by default: such weights are broken) */
    public static SafetensorsFile read(Path path, boolean allowNonFinite) {
        String name = path.toString();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new WeightsException(name + ": not a safetensors file (only " + size + " bytes)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES || headerLen > size - 8) {
                throw new WeightsException(name + ": not a safetensors file (header length " + headerLen
                        + " does not fit a file of " + size + " bytes)");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headerBuf, 8);
            JsonNode header;
            try {
                header = JSON.readTree(headerBuf.array());
            } catch (IOException e) {
                throw new WeightsException(name + ": not a safetensors file (header is not valid JSON)");
            }
            if (header == null || !header.isObject()) {
                throw new WeightsException(name + ": not a safetensors file (header is not a JSON object)");
            }
            long dataStart = 8 + headerLen;
            long dataSize = size - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().equals("__metadata__")) {
                    f.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                } else {
                    entries.add(parseEntry(name, f.getKey(), f.getValue(), dataSize));
                }
            }
            entries.sort((a, b) -> Long.compare(a.begin, b.begin));
            long expected = 0;
            for (Entry e : entries) {
                if (e.begin != expected) {
                    throw new WeightsException(name + ": tensor '" + e.name + "' starts at byte " + e.begin
                            + " but the previous one ends at " + expected + " (overlap or gap)");
                }
                expected = e.end;
            }
            List<TensorData> tensors = new ArrayList<>();
            for (Entry e : entries) {
                tensors.add(new TensorData(e.name, e.dtype, e.shape, readValues(ch, name, e, dataStart, allowNonFinite)));
            }
            return new SafetensorsFile(name, tensors, metadata);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new WeightsException(name + ": no such file");
        } catch (IOException e) {
            throw new WeightsException(name + ": cannot read: " + e.getMessage());
        }
    }

    private record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

    private static Entry parseEntry(String file, String tensor, JsonNode n, long dataSize) {
        JsonNode dt = n.get("dtype"), sh = n.get("shape"), off = n.get("data_offsets");
        if (dt == null || sh == null || off == null || !sh.isArray() || !off.isArray() || off.size() != 2) {
            throw new WeightsException(file + ": tensor '" + tensor + "' lacks dtype, shape or data_offsets");
        }
        DType dtype;
        try {
            dtype = DType.valueOf(dt.asText());
        } catch (IllegalArgumentException e) {
            throw new WeightsException(file + ": tensor '" + tensor + "' has unsupported dtype " + dt.asText()
                    + " (F32, F16, BF16)");
        }
        long[] shape = new long[sh.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = sh.get(i).asLong(-1);
            if (!sh.get(i).canConvertToLong() || shape[i] < 0) {
                throw new WeightsException(file + ": tensor '" + tensor + "' has a bad shape " + sh);
            }
            if (shape[i] > 0 && numel > Integer.MAX_VALUE / shape[i]) {
                throw new WeightsException(file + ": tensor '" + tensor + "' claims " + sh + " elements, more than"
                        + " this reader accepts (" + Integer.MAX_VALUE + ")");
            }
            numel *= shape[i];
        }
        long begin = off.get(0).asLong(-1), end = off.get(1).asLong(-1);
        if (begin < 0 || end < begin) {
            throw new WeightsException(file + ": tensor '" + tensor + "' has bad data_offsets " + off);
        }
        if (end - begin != numel * dtype.bytes) {
            throw new WeightsException(file + ": tensor '" + tensor + "' shape " + Arrays.toString(shape) + " needs "
                    + numel * dtype.bytes + " bytes but its offsets span " + (end - begin));
        }
        if (end > dataSize) {
            throw new WeightsException(file + ": truncated: tensor '" + tensor + "' needs bytes up to " + end
                    + " but the file has " + dataSize);
        }
        return new Entry(tensor, dtype, shape, begin, end);
    }

    private static float[] readValues(FileChannel ch, String file, Entry e, long dataStart, boolean allowNonFinite)
            throws IOException {
        int n = (int) ((e.end - e.begin) / e.dtype.bytes);
        ByteBuffer buf = ByteBuffer.allocate((int) (e.end - e.begin)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, buf, dataStart + e.begin);
        buf.flip();
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (e.dtype) {
                case F32 -> buf.getFloat();
                case F16 -> Half.toFloat(buf.getShort());
                case BF16 -> Half.bf16ToFloat(buf.getShort());
            };
            if (!allowNonFinite && !Float.isFinite(v[i])) {
                throw new WeightsException(file + ": tensor '" + e.name + "' contains NaN or Inf");
            }
        }
        return v;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += r;
        }
    }
}
