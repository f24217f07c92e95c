package io.shiftsr.image;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.Adler32;
import java.util.zip.Deflater;

/**
 * An 8-bit gray or RGB PNG from rows, compressed on every core while the rows keep coming (pigz's scheme in a
 * PNG): the rows are cut into segments of about {@link #SEGMENT_BYTES}; each segment is converted to 8 bits,
 * filtered and deflated on a worker thread as an independent raw deflate stream ended by a sync flush, so the
 * segments, written in order behind one zlib header, are one valid zlib stream; the Adler-32 of the whole is
 * combined from the segments'.
 *
 * <p>Every row takes the Paeth filter, and a segment is Huffman-coded only (no LZ77 matches; {@link
 * HuffmanDeflate}, about twice the speed of zlib's Huffman-only path) unless a fifth of its filtered bytes lie in
 * long runs of zeros (flat areas) or a sample deflates a tenth smaller with LZ77 (repeated content), then
 * deflated at level 1 by zlib (java.util.zip). On the 4x upscales of the val photos, where 40-70% of the filtered
 * bytes are 0 but few in long runs, Huffman codes alone make segments 1-17% smaller than level 1 at a third of its
 * time (docs/PERFORMANCE.md, session 16). On the photos this project upscales, the per-row choice of the
 * smallest sum of absolute differences (the PNG specification's heuristic) and LZ77 at level 1 made files from 1%
 * smaller to 6% larger at 1.5-2x the time (docs/PERFORMANCE.md).
 *
 * <p>The pixels are those of the JDK's writer: the same 8-bit conversion ({@link Image#to8}). The bytes differ
 * (each segment starts without the previous one's window), by a fraction of a percent in size. At most
 * {@link #IN_FLIGHT} segments are held at once, so memory stays bounded however tall the image is.
 */
final class ParallelPng {
    /** Filtered bytes per segment: large enough that the restart costs under 1% in size. */
    static final int SEGMENT_BYTES = 256 << 10;
    /** Segments compressed or waiting to be written at once. */
    static final int IN_FLIGHT = 2 * Runtime.getRuntime().availableProcessors() + 1;
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final ExecutorService WORKERS = Executors.newFixedThreadPool(
            Runtime.getRuntime().availableProcessors(), r -> {
                Thread t = new Thread(r, "shiftsr-png");
                t.setDaemon(true);
                return t;
            });

    private ParallelPng() {
    }

    /** What a worker returns: the segment's deflate bytes and the Adler-32 and length of its filtered bytes. */
    private record Segment(byte[] deflated, long adler, long length) {}

    /**
     * Writes the PNG (signature, IHDR, IDAT chunks, IEND) to {@code out}, not closed. Metadata chunks go in
     * through the caller's splicing stream ({@code MetadataBlocks.splicing}), after IHDR.
     */
    static void write(OutputStream out, int width, int height, int channels, ImageWriting.RowSource rows)
            throws IOException {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("8-bit PNG rows are gray or RGB, got " + channels + " channels");
        }
        DataOutputStream o = new DataOutputStream(out);
        o.write(SIGNATURE);
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(ihdr);
        h.writeInt(width);
        h.writeInt(height);
        h.writeByte(8);
        h.writeByte(channels == 1 ? 0 : 2);
        h.writeByte(0);
        h.writeByte(0);
        h.writeByte(0);
        chunk(o, "IHDR", ihdr.toByteArray());
        int rowBytes = width * channels;
        int rowsPerSegment = Math.max(1, SEGMENT_BYTES / (rowBytes + 1));
        ArrayDeque<Future<Segment>> pending = new ArrayDeque<>();
        long adler = 1;
        boolean first = true;
        float[][] previous = null;
        try {
            for (int y0 = 0; y0 < height; y0 += rowsPerSegment) {
                int n = Math.min(rowsPerSegment, height - y0);
                float[][][] seg = new float[n][][];
                for (int i = 0; i < n; i++) {
                    seg[i] = rows.row(y0 + i);
                }
                float[][] above = previous;
                boolean last = y0 + n == height;
                pending.add(WORKERS.submit(() -> compress(seg, above, width, channels, last)));
                previous = seg[n - 1];
                while (pending.size() >= IN_FLIGHT || (last && !pending.isEmpty())) {
                    Segment s = take(pending.poll());
                    adler = first ? s.adler() : combine(adler, s.adler(), s.length());
                    byte[] body = first ? withZlibHeader(s.deflated()) : s.deflated();
                    first = false;
                    chunk(o, "IDAT", last && pending.isEmpty() ? withTrailer(body, adler) : body);
                }
            }
        } finally {
            pending.forEach(f -> f.cancel(true));
        }
        chunk(o, "IEND", new byte[0]);
        o.flush();
    }

    /** Converts, filters and deflates one segment; {@code above} is the row before it (null at the top). */
    private static Segment compress(float[][][] seg, float[][] above, int width, int channels, boolean last) {
        int rowBytes = width * channels;
        byte[] prev = above == null ? new byte[rowBytes] : to8(above, width, channels);
        byte[] filtered = new byte[seg.length * (rowBytes + 1)];
        for (int i = 0; i < seg.length; i++) {
            byte[] cur = to8(seg[i], width, channels);
            filtered[i * (rowBytes + 1)] = PAETH;
            paeth(cur, prev, channels, filtered, i * (rowBytes + 1) + 1);
            prev = cur;
        }
        Adler32 a = new Adler32();
        a.update(filtered);
        if (inLongZeroRuns(filtered) * 5 < filtered.length && !lz77Pays(filtered)) {
            return new Segment(HuffmanDeflate.deflate(filtered, 0, filtered.length, last), a.getValue(),
                    filtered.length);
        }
        Deflater d = new Deflater(1, true);
        try {
            d.setInput(filtered);
            if (last) {
                d.finish();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(filtered.length / 2 + 64);
            byte[] buf = new byte[64 << 10];
            while (true) {
                int k = last ? d.deflate(buf) : d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
                out.write(buf, 0, k);
                if (last ? d.finished() : k < buf.length && d.needsInput()) {
                    break;
                }
            }
            return new Segment(out.toByteArray(), a.getValue(), filtered.length);
        } finally {
            d.end();
        }
    }

    /** One row as 8-bit samples, interleaved, the JDK writer's conversion ({@link Image#to8}). */
    private static byte[] to8(float[][] planes, int width, int channels) {
        byte[] px = new byte[width * channels];
        if (channels == 3) { // the usual case, unrolled: twice the speed of the loop over channels
            float[] r = planes[0], g = planes[1], b = planes[2];
            for (int x = 0, i = 0; x < width; x++, i += 3) {
                px[i] = (byte) Image.to8(r[x]);
                px[i + 1] = (byte) Image.to8(g[x]);
                px[i + 2] = (byte) Image.to8(b[x]);
            }
            return px;
        }
        for (int x = 0; x < width; x++) {
            for (int c = 0; c < channels; c++) {
                px[x * channels + c] = (byte) Image.to8(planes[c][x]);
            }
        }
        return px;
    }

    /** PNG filter type 4. */
    static final byte PAETH = 4;

    /** The Paeth filter of {@code cur} (PNG specification, section 9.4) into {@code out} from {@code at}. */
    static void paeth(byte[] cur, byte[] prev, int bpp, byte[] out, int at) {
        for (int i = 0; i < bpp; i++) { // no left neighbour: Paeth predicts the byte above
            out[at + i] = (byte) (cur[i] - prev[i]);
        }
        for (int i = bpp; i < cur.length; i++) {
            int a = cur[i - bpp] & 0xFF, b = prev[i] & 0xFF, c = prev[i - bpp] & 0xFF;
            // The specification's choice (a if pa <= pb and pa <= pc, else b if pb <= pc, else c) without
            // branches, which photos make unpredictable: twice the speed here. pa = |b - c|, pb = |a - c|.
            int pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - c - c);
            int bLess = (pb - pa) >> 31; // -1 where pb < pa
            int ab = a ^ ((a ^ b) & bLess), pab = pa ^ ((pa ^ pb) & bLess);
            int cLess = (pc - pab) >> 31; // -1 where pc < min(pa, pb)
            out[at + i] = (byte) (cur[i] - (ab ^ ((ab ^ c) & cLess)));
        }
    }

    /** Bytes of a segment that {@link #lz77Pays} weighs both ways: an eighth of a segment, one Huffman block. */
    static final int PROBE_BYTES = 32 << 10;

    /**
     * Whether LZ77 makes a sample from the middle of the segment a tenth smaller than Huffman codes alone do:
     * repeated content (graphics, tiled patterns, screenshots), which long zero runs do not reveal. On photos it
     * does not (the Huffman codes are the smaller). The probe sizes an eighth of the data as Huffman codes without
     * writing them and deflates it at level 1, stopping once that is not a tenth smaller; EncodeBench saw no
     * difference with it within its noise.
     */
    static boolean lz77Pays(byte[] filtered) {
        int n = Math.min(PROBE_BYTES, filtered.length), from = (filtered.length - n) / 2;
        int huffman = HuffmanDeflate.finalBlockBytes(filtered, from, n);
        Deflater d = new Deflater(1, true);
        try {
            d.setInput(filtered, from, n);
            d.finish();
            byte[] buf = new byte[8 << 10];
            int size = 0;
            while (!d.finished() && size * 10 < huffman * 9) {
                size += d.deflate(buf);
            }
            return size * 10 < huffman * 9;
        } finally {
            d.end();
        }
    }

    /** Zero runs at least this long are where LZ77 pays: Huffman codes spend a bit on every byte of them. */
    static final int LONG_RUN = 32;

    /**
     * How many of the bytes lie in runs of at least {@link #LONG_RUN} zeros (flat areas after filtering). Eight
     * bytes at a time: a run that long always covers a whole word of the stride-8 walk, so only words that are
     * all zero are looked at byte by byte (the byte loop mispredicted on every photo's scattered zeros: 1.5% of
     * a folder run's CPU, PERFORMANCE.md session 17).
     */
    static long inLongZeroRuns(byte[] b) {
        long in = 0;
        int n = b.length, i = 0, done = 0; // bytes before done belong to runs already counted
        while (i + 8 <= n) {
            if ((long) WORD.get(b, i) != 0) {
                i += 8;
                continue;
            }
            int start = i, end = i + 8;
            while (start > done && b[start - 1] == 0) {
                start--;
            }
            while (end + 8 <= n && (long) WORD.get(b, end) == 0) {
                end += 8;
            }
            while (end < n && b[end] == 0) {
                end++;
            }
            if (end - start >= LONG_RUN) {
                in += end - start;
            }
            done = end;
            i = end + 1; // b[end] is not zero (or the end)
        }
        return in;
    }

    private static final java.lang.invoke.VarHandle WORD =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** Adler-32 of A followed by B from theirs and B's length (zlib's adler32_combine). */
    static long combine(long adler1, long adler2, long len2) {
        final long base = 65521;
        long rem = len2 % base;
        long sum1 = adler1 & 0xffff;
        long sum2 = (rem * sum1) % base;
        sum1 += (adler2 & 0xffff) + base - 1;
        sum2 += ((adler1 >> 16) & 0xffff) + ((adler2 >> 16) & 0xffff) + base - rem;
        if (sum1 >= base) {
            sum1 -= base;
        }
        if (sum1 >= base) {
            sum1 -= base;
        }
        if (sum2 >= (base << 1)) {
            sum2 -= (base << 1);
        }
        if (sum2 >= base) {
            sum2 -= base;
        }
        return sum1 | (sum2 << 16);
    }

    private static Segment take(Future<Segment> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while compressing the PNG", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IOException("cannot compress the PNG: " + e.getCause(), e.getCause());
        }
    }

    /** zlib's two header bytes (deflate, 32 KB window, fastest level: 0x78 0x01) before the first segment. */
    private static byte[] withZlibHeader(byte[] deflated) {
        byte[] b = new byte[deflated.length + 2];
        b[0] = 0x78;
        b[1] = 0x01;
        System.arraycopy(deflated, 0, b, 2, deflated.length);
        return b;
    }

    /** The zlib stream's Adler-32 (big-endian) after the last segment. */
    private static byte[] withTrailer(byte[] body, long adler) {
        byte[] b = java.util.Arrays.copyOf(body, body.length + 4);
        b[body.length] = (byte) (adler >>> 24);
        b[body.length + 1] = (byte) (adler >>> 16);
        b[body.length + 2] = (byte) (adler >>> 8);
        b[body.length + 3] = (byte) adler;
        return b;
    }

    private static void chunk(OutputStream o, String type, byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(data.length + 12);
        PngBlocks.chunk(b, type, data);
        b.writeTo(o);
    }
}
