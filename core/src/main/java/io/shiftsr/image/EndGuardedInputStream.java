package io.shiftsr.image;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * An image stream that gives up after a decoder has asked for data past the end many times.
 * Found by fuzzing (docs/RELIABILITY.md): TwelveMonkeys' lossless WebP decoder treats end of file as zero bits
 * and carries on, one caught EOFException per bit, so a cut-off or corrupt WebP claiming a large image decoded
 * for minutes. Past the limit this throws an unchecked exception the decoders do not catch, which the reader
 * reports as truncated or corrupt data. One class for bytes in memory and for files (read lazily, so a header
 * read takes only the header); closing it closes the source too.
 */
final class EndGuardedInputStream extends MemoryCacheImageInputStream {
    /** Reads past the end tolerated before giving up: decoders peek a few bytes beyond, never thousands. */
    static final int MAX_READS_PAST_END = 4096;

    /** Thrown once a decoder keeps reading past the end of the data. */
    static final class PastEndOfFile extends RuntimeException {
        PastEndOfFile() {
            super("decoder kept reading past the end of the file", null, false, false);
        }
    }

    private final InputStream source;
    private int readsPastEnd;

    private EndGuardedInputStream(InputStream source) {
        super(source);
        this.source = source;
    }

    /** Over bytes already in memory (an upload, a file read whole, a JPEG with its profile taken out). */
    static EndGuardedInputStream of(byte[] data) {
        return new EndGuardedInputStream(new ByteArrayInputStream(data));
    }

    /** Over a file, read as the decoder asks. */
    static EndGuardedInputStream of(Path file) throws IOException {
        return new EndGuardedInputStream(Files.newInputStream(file));
    }

    @Override
    public int read() throws IOException {
        int r = super.read();
        if (r < 0) {
            pastEnd();
        }
        return r;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int r = super.read(b, off, len);
        if (r < 0 && len > 0) {
            pastEnd();
        }
        return r;
    }

    @Override
    public void close() throws IOException {
        try {
            super.close(); // frees the cache; MemoryCacheImageInputStream leaves its source open
        } finally {
            source.close();
        }
    }

    private void pastEnd() {
        if (++readsPastEnd > MAX_READS_PAST_END) {
            throw new PastEndOfFile();
        }
    }
}
