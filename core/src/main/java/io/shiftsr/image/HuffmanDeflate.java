package io.shiftsr.image;

import java.util.Arrays;

/**
 * Raw deflate (RFC 1951) with literals only: a dynamic-Huffman block per {@link #BLOCK_BYTES}, its code built on
 * that block's own byte counts, or stored blocks where that is not smaller. This is what zlib's {@code
 * Z_HUFFMAN_ONLY} strategy writes, at about twice its speed here (14 against 26 ms for the filtered rows of a
 * 1024x848 upscale, one thread; docs/PERFORMANCE.md, session 16). {@link ParallelPng} uses it for the filtered
 * rows of a PNG, where LZ77 finds little in photos; where it does pay (flat areas, repeated content) zlib
 * deflates.
 *
 * <p>The stream ends byte-aligned: after the final block when {@code last}, else after an empty stored block (the
 * marker zlib's {@code Z_SYNC_FLUSH} writes), so streams written one after another are one valid deflate stream.
 */
final class HuffmanDeflate {
    /** Literal/length alphabet used: the 256 bytes and end-of-block. */
    private static final int SYMBOLS = 257;
    private static final int END_OF_BLOCK = 256;
    private static final int MAX_BITS = 15;
    private static final int MAX_CODE_LENGTH_BITS = 7;
    /** The order code-length code lengths are sent in (RFC 1951, 3.2.7). */
    private static final int[] CODE_LENGTH_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
    private static final int STORED_MAX = 65535;

    private HuffmanDeflate() {
    }

    /**
     * Bytes per block: each block has its own code, fitted to its part of the image. One code for a 256 KB
     * segment made the 4x upscale of the val photo china 7% larger than zlib's blocks of 16K symbols; 8K, 16K,
     * 32K and 64K bytes were within 1% of zlib, 32K the fastest of them.
     */
    private static final int BLOCK_BYTES = 32 << 10;

    /** {@code data[off, off + len)} as raw deflate, ended byte-aligned (final when {@code last}). */
    static byte[] deflate(byte[] data, int off, int len, boolean last) {
        BitWriter w = new BitWriter(len / 2 + 64);
        int blocks = Math.max(1, (len + BLOCK_BYTES - 1) / BLOCK_BYTES);
        for (int b = 0; b < blocks; b++) {
            int from = off + (int) ((long) len * b / blocks), to = off + (int) ((long) len * (b + 1) / blocks);
            block(w, data, from, to - from, last && b == blocks - 1);
        }
        if (!last) {
            w.write(0, 3); // the sync marker: an empty stored block, not final
            w.align();
            w.write(0x0000, 16);
            w.write(0xFFFF, 16);
        }
        w.align();
        return w.bytes();
    }

    /**
     * The length of {@code deflate(data, off, len, true)} for at most {@link #BLOCK_BYTES} bytes (one block),
     * without writing it: for a caller weighing literals alone against another coding (ParallelPng's LZ77 probe).
     */
    static int finalBlockBytes(byte[] data, int off, int len) {
        if (len > BLOCK_BYTES) {
            throw new IllegalArgumentException("one block is at most " + BLOCK_BYTES + " bytes, got " + len);
        }
        long bits = Codes.of(data, off, len).bits();
        return bits >= storedBits(len) ? len + 5 * storedBlocks(len) : (int) ((bits + 7) / 8);
    }

    /** A block's Huffman codes, as sent in its header, and the block's size in bits coded with them. */
    private record Codes(int[] lengths, int[] lengthSeq, int[] clLengths, int hclen, long bits) {
        static Codes of(byte[] data, int off, int len) {
            int[] freq = new int[SYMBOLS];
            for (int i = off, end = off + len; i < end; i++) {
                freq[data[i] & 0xFF]++;
            }
            freq[END_OF_BLOCK] = 1;
            int[] lengths = codeLengths(freq, MAX_BITS);
            // The header: block type, counts, the code-length code and the literal lengths sent with it.
            int[] lengthSeq = new int[SYMBOLS + 2];
            System.arraycopy(lengths, 0, lengthSeq, 0, SYMBOLS);
            lengthSeq[SYMBOLS] = 1; // two distance codes of one bit, never used: a complete code every decoder takes
            lengthSeq[SYMBOLS + 1] = 1;
            int[] clFreq = new int[19];
            for (int l : lengthSeq) {
                clFreq[l]++;
            }
            int[] clLengths = codeLengths(clFreq, MAX_CODE_LENGTH_BITS);
            int hclen = 19;
            while (hclen > 4 && clLengths[CODE_LENGTH_ORDER[hclen - 1]] == 0) {
                hclen--;
            }
            long bits = 3 + 5 + 5 + 4 + 3L * hclen;
            for (int l : lengthSeq) {
                bits += clLengths[l];
            }
            for (int s = 0; s < SYMBOLS; s++) {
                bits += (long) freq[s] * lengths[s];
            }
            return new Codes(lengths, lengthSeq, clLengths, hclen, bits);
        }
    }

    /** Stored blocks of at most 65,535 bytes that {@code len} bytes take (one for none). */
    private static int storedBlocks(int len) {
        return Math.max(1, (len + STORED_MAX - 1) / STORED_MAX);
    }

    /** At most the bits {@code len} bytes take as stored blocks (headers and the padding to a byte). */
    private static long storedBits(int len) {
        return 8L * len + 40L * storedBlocks(len) + 7;
    }

    /** One block of {@code data[off, off + len)}: Huffman-coded literals, or stored where that is not smaller. */
    private static void block(BitWriter w, byte[] data, int off, int len, boolean last) {
        Codes k = Codes.of(data, off, len);
        if (k.bits() >= storedBits(len)) {
            stored(w, data, off, len, last);
            return;
        }
        int[] lengths = k.lengths(), clLengths = k.clLengths();
        int hclen = k.hclen();
        w.write(last ? 1 : 0, 1);
        w.write(2, 2); // dynamic Huffman codes
        w.write(SYMBOLS - 257, 5);
        w.write(2 - 1, 5);
        w.write(hclen - 4, 4);
        for (int i = 0; i < hclen; i++) {
            w.write(clLengths[CODE_LENGTH_ORDER[i]], 3);
        }
        int[] clCodes = canonicalCodes(clLengths);
        for (int l : k.lengthSeq()) {
            w.write(clCodes[l], clLengths[l]);
        }
        int[] codes = canonicalCodes(lengths);
        // Code and length in one int per byte value (codes of at most 15 bits, lengths of at most 15).
        int[] table = new int[256];
        for (int s = 0; s < 256; s++) {
            table[s] = codes[s] << 4 | lengths[s];
        }
        w.literals(data, off, len, table);
        w.write(codes[END_OF_BLOCK], lengths[END_OF_BLOCK]);
    }

    /** Stored blocks (no compression), for data Huffman codes do not shrink (noise). */
    private static void stored(BitWriter w, byte[] data, int off, int len, boolean last) {
        int blocks = storedBlocks(len);
        for (int b = 0; b < blocks; b++) {
            int n = Math.min(STORED_MAX, len - b * STORED_MAX);
            w.write(last && b == blocks - 1 ? 1 : 0, 3); // BFINAL, BTYPE 00, then padding to the byte
            w.align();
            w.write(n, 16);
            w.write(~n & 0xFFFF, 16);
            w.raw(data, off + b * STORED_MAX, n);
        }
    }

    /**
     * Huffman code lengths of at most {@code maxBits} for these counts; symbols of count 0 get 0. At least two
     * symbols get a code (a second one of count 0 is given one if need be), so the code is complete. Lengths that
     * come out too long are avoided by halving the counts (keeping every used symbol at least 1) and building
     * again: the code gets slightly worse only where a symbol is that rare.
     */
    static int[] codeLengths(int[] counts, int maxBits) {
        int n = counts.length;
        long[] f = new long[n];
        int used = 0;
        for (int i = 0; i < n; i++) {
            f[i] = counts[i];
            used += counts[i] > 0 ? 1 : 0;
        }
        for (int i = 0; used < 2 && i < n; i++) {
            if (f[i] == 0) {
                f[i] = 1;
                used++;
            }
        }
        while (true) {
            int[] lengths = huffman(f);
            if (Arrays.stream(lengths).max().orElse(0) <= maxBits) {
                return lengths;
            }
            for (int i = 0; i < n; i++) {
                if (f[i] > 0) {
                    f[i] = Math.max(1, f[i] >> 1);
                }
            }
        }
    }

    /** Unlimited Huffman code lengths of the nonzero counts (two queues over the sorted leaves, no heap). */
    private static int[] huffman(long[] f) {
        int n = f.length;
        Integer[] order = new Integer[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (f[i] > 0) {
                order[m++] = i;
            }
        }
        Integer[] leaves = Arrays.copyOf(order, m);
        Arrays.sort(leaves, (a, b) -> f[a] != f[b] ? Long.compare(f[a], f[b]) : Integer.compare(a, b));
        // Nodes 0..m-1 are the leaves in order; m.. the merged ones, made in increasing weight.
        long[] weight = new long[2 * m - 1];
        int[] parent = new int[2 * m - 1];
        for (int i = 0; i < m; i++) {
            weight[i] = f[leaves[i]];
        }
        int nextLeaf = 0, nextNode = m;
        for (int k = m; k < 2 * m - 1; k++) {
            int a = nextLeaf < m && (nextNode >= k || weight[nextLeaf] <= weight[nextNode]) ? nextLeaf++ : nextNode++;
            int b = nextLeaf < m && (nextNode >= k || weight[nextLeaf] <= weight[nextNode]) ? nextLeaf++ : nextNode++;
            weight[k] = weight[a] + weight[b];
            parent[a] = k;
            parent[b] = k;
        }
        int[] depth = new int[2 * m - 1];
        for (int k = 2 * m - 3; k >= 0; k--) {
            depth[k] = depth[parent[k]] + 1;
        }
        int[] lengths = new int[n];
        for (int i = 0; i < m; i++) {
            lengths[leaves[i]] = depth[i];
        }
        return lengths;
    }

    /** The canonical codes of RFC 1951 3.2.2, bit-reversed for a least-significant-bit-first writer. */
    static int[] canonicalCodes(int[] lengths) {
        int max = Arrays.stream(lengths).max().orElse(0);
        int[] count = new int[max + 1];
        for (int l : lengths) {
            count[l]++;
        }
        count[0] = 0;
        int[] next = new int[max + 2];
        int code = 0;
        for (int bits = 1; bits <= max; bits++) {
            code = (code + count[bits - 1]) << 1;
            next[bits] = code;
        }
        int[] codes = new int[lengths.length];
        for (int s = 0; s < lengths.length; s++) {
            int l = lengths[s];
            if (l > 0) {
                codes[s] = Integer.reverse(next[l]++) >>> (32 - l);
            }
        }
        return codes;
    }

    /** Bits into bytes, least significant first, as deflate packs them. */
    private static final class BitWriter {
        private byte[] out;
        private int pos;
        private long buf;
        private int count;

        BitWriter(int capacity) {
            out = new byte[capacity];
        }

        void write(int bits, int n) {
            buf |= (long) bits << count;
            count += n;
            if (count >= 32) {
                flush32();
            }
        }

        /** Each byte's code from {@code table} (code << 4 | length); the hot loop of the encoder. */
        void literals(byte[] data, int off, int len, int[] table) {
            long b = buf;
            int c = count;
            byte[] o = out;
            int p = pos;
            for (int i = off, end = off + len; i < end; i++) {
                int e = table[data[i] & 0xFF];
                b |= (long) (e >>> 4) << c;
                c += e & 15;
                if (c >= 32) {
                    if (p + 4 > o.length) {
                        o = Arrays.copyOf(o, o.length * 2 + 16);
                    }
                    putInt(o, p, b);
                    p += 4;
                    b >>>= 32;
                    c -= 32;
                }
            }
            buf = b;
            count = c;
            out = o;
            pos = p;
        }

        private void flush32() {
            ensure(4);
            putInt(out, pos, buf);
            pos += 4;
            buf >>>= 32;
            count -= 32;
        }

        /** Bytes as they are; the writer must be byte-aligned ({@link #align()}). */
        void raw(byte[] data, int off, int n) {
            ensure(n);
            System.arraycopy(data, off, out, pos, n);
            pos += n;
        }

        /** The low 32 bits of {@code bits} at {@code at}, least significant byte first. */
        private static void putInt(byte[] o, int at, long bits) {
            o[at] = (byte) bits;
            o[at + 1] = (byte) (bits >>> 8);
            o[at + 2] = (byte) (bits >>> 16);
            o[at + 3] = (byte) (bits >>> 24);
        }

        /** Pads with zero bits to the next byte and writes out what is buffered. */
        void align() {
            while (count > 0) {
                ensure(1);
                out[pos++] = (byte) buf;
                buf >>>= 8;
                count = Math.max(0, count - 8);
            }
            buf = 0;
        }

        private void ensure(int n) {
            if (pos + n > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2 + 16, pos + n));
            }
        }

        byte[] bytes() {
            return Arrays.copyOf(out, pos);
        }
    }
}
