package io.shiftsr.image;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * A file image stream that gives up after a decoder has asked for data past the end of the file many times.
 * Found by fuzzing (docs/RELIABILITY.md): TwelveMonkeys' lossless WebP decoder treats end of file as zero bits
 * and carries on, one caught EOFException per bit, so a cut-off or corrupt WebP claiming a large image decoded
 * for minutes. Past the limit this throws an unchecked exception the decoders do not catch, which the reader
 * reports as truncated or corrupt data.
 */
final class EndGuardedInputStream extends FileImageInputStream {
    /** Reads past the end tolerated before giving up: decoders peek a few bytes beyond, never thousands. */
    static final int MAX_READS_PAST_END = 4096;

    /** Thrown once a decoder keeps reading past the end of the file. */
    static final class PastEndOfFile extends RuntimeException {
        PastEndOfFile() {
            super("decoder kept reading past the end of the file", null, false, false);
        }
    }

    private int readsPastEnd;

    EndGuardedInputStream(File file) throws IOException {
        super(file);
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

    /** The same guard over bytes already in memory (a JPEG read whole to take its profile out). */
    static ImageInputStream of(byte[] data) {
        return new MemoryCacheImageInputStream(new ByteArrayInputStream(data)) {
            private int readsPastEnd;

            @Override
            public int read() throws IOException {
                int r = super.read();
                if (r < 0 && ++readsPastEnd > MAX_READS_PAST_END) {
                    throw new PastEndOfFile();
                }
                return r;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int r = super.read(b, off, len);
                if (r < 0 && len > 0 && ++readsPastEnd > MAX_READS_PAST_END) {
                    throw new PastEndOfFile();
                }
                return r;
            }
        };
    }

    private void pastEnd() {
        if (++readsPastEnd > MAX_READS_PAST_END) {
            throw new PastEndOfFile();
        }
    }
}
