package io.shiftsr.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads safetensors files into float32 {@link TensorData}. The header is validated against the
 * file size before any tensor memory is allocated; data is then read in bounded chunks.
 */
public final class SafetensorsReader {

    /** Largest header accepted (the reference implementation uses the same 100 MB bound). */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private static final int CHUNK_BYTES = 1 << 20; // multiple of every dtype size

    private SafetensorsReader() {
    }

    /** Reads with {@link ReadOptions#DEFAULTS}: NaN/Inf values are refused. */
    public static SafetensorsFile read(Path path) {
        return read(path, ReadOptions.DEFAULTS);
    }

    public static SafetensorsFile read(Path path, ReadOptions options) {
        String source = path.toString();
        String refusal = io.shiftsr.io.RegularFiles.refusal(path, "a weights file");
        if (refusal != null) {
            throw new WeightsException(source + ": " + refusal);
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return read(ch::read, ch.size(), source, options);
        } catch (IOException e) {
            throw new WeightsException(source + ": cannot read: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** Reads a file held in memory (a model on the classpath, bytes from a stream); {@code source} names it. */
    public static SafetensorsFile read(byte[] data, String source, ReadOptions options) {
        ByteBuffer all = ByteBuffer.wrap(data);
        try {
            return read((buf, pos) -> {
                if (pos >= data.length) {
                    return -1;
                }
                int n = (int) Math.min(buf.remaining(), data.length - pos);
                buf.put(all.slice((int) pos, n));
                return n;
            }, data.length, source, options);
        } catch (IOException e) {
            throw new WeightsException(source + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Positional reads, as FileChannel.read(ByteBuffer, long) does them. */
    @FunctionalInterface
    private interface Positional {
        int read(ByteBuffer buf, long pos) throws IOException;
    }

    private static SafetensorsFile read(Positional ch, long size, String source, ReadOptions options)
            throws IOException {
        {
            if (size < 8) {
                throw fail(source, "too short to be a safetensors file (" + size + " bytes, need at least 8)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, source);
            long headerLen = lenBuf.getLong(0); // unsigned on disk: a negative long means >= 2^63
            if (Long.compareUnsigned(headerLen, size - 8) > 0) {
                throw fail(source, "header length " + Long.toUnsignedString(headerLen)
                        + " is larger than the rest of the file (" + (size - 8) + " bytes)");
            }
            if (headerLen > MAX_HEADER_BYTES) {
                throw fail(source, "header length " + headerLen + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headerBuf, 8, source);
            long dataStart = 8 + headerLen;
            SafetensorsHeader header = SafetensorsHeader.parse(
                    source, headerBuf.array(), dataStart, size - dataStart, options);

            List<TensorData> tensors = new ArrayList<>(header.entries.size());
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (SafetensorsHeader.Entry e : header.entries) {
                float[] values = readValues(ch, chunk, dataStart, e, source);
                if (!options.allowNonFinite()) {
                    requireFinite(source, e.name(), values);
                }
                tensors.add(new TensorData(e.name(), e.dtype(), e.shape(), values));
            }
            return new SafetensorsFile(source, tensors, header.metadata);
        }
    }

    private static float[] readValues(Positional ch, ByteBuffer chunk, long dataStart,
                                      SafetensorsHeader.Entry e, String source) throws IOException {
        float[] values = new float[(int) e.numel()]; // numel <= 2^31-1 was checked in the header
        long pos = dataStart + e.begin();
        long remaining = e.end() - e.begin();
        int index = 0;
        while (remaining > 0) {
            int n = (int) Math.min(chunk.capacity(), remaining);
            chunk.clear().limit(n);
            readFully(ch, chunk, pos, source); // leaves chunk flipped, ready to decode
            int count = n / e.dtype().byteSize();
            switch (e.dtype()) {
                case F32 -> chunk.asFloatBuffer().get(values, index, count);
                case F16 -> {
                    for (int i = 0; i < count; i++) {
                        values[index + i] = HalfPrecision.halfToFloat(chunk.getShort());
                    }
                }
                case BF16 -> {
                    for (int i = 0; i < count; i++) {
                        values[index + i] = HalfPrecision.bf16ToFloat(chunk.getShort());
                    }
                }
            }
            index += count;
            pos += n;
            remaining -= n;
        }
        return values;
    }

    private static void requireFinite(String source, String name, float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw fail(source, "tensor " + WeightsException.quote(name) + " contains NaN or Inf (first at flat index "
                        + i + ": " + values[i] + ")");
            }
        }
    }

    /** Fills buf from position pos; the file may only shrink under us if someone else writes it. */
    private static void readFully(Positional ch, ByteBuffer buf, long pos, String source) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) {
                throw fail(source, "truncated: unexpected end of file at byte " + pos);
            }
            pos += r;
        }
        buf.flip();
    }

    private static WeightsException fail(String source, String problem) {
        return new WeightsException(source + ": " + problem);
    }
}
