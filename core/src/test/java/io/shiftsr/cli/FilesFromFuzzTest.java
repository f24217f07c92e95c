package io.shiftsr.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

/**
 * Any bytes as a --files-from list give paths that are each one trimmed, non-blank, non-comment line within the
 * bounds, or one CliException of one line with exit code 3: never another exception, never a line that still
 * holds a line break or a NUL. Without JAZZER_FUZZ this replays the committed corpus.
 */
class FilesFromFuzzTest {
    @FuzzTest(maxDuration = "20s")
    void readsAnyList(byte[] bytes) throws IOException {
        List<String> lines;
        try {
            lines = ImageBatchCommand.readList(new ByteArrayInputStream(bytes), "list");
        } catch (CliException e) {
            if (e.getMessage() == null || e.getMessage().contains("\n") || e.exitCode() != ExitCode.BAD_INPUT) {
                throw new IllegalStateException("not a one-line bad-input error: " + e.getMessage());
            }
            return;
        }
        if (lines.size() > ImageBatchCommand.MAX_LIST_LINES + 1) {
            throw new IllegalStateException(lines.size() + " lines");
        }
        for (String l : lines) {
            if (l.isEmpty() || l.startsWith("#") || !l.equals(l.strip()) || l.indexOf('\n') >= 0
                    || l.indexOf('\r') >= 0 || l.indexOf(0) >= 0
                    || l.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > ImageBatchCommand.MAX_LIST_LINE) {
                throw new IllegalStateException("bad line: '" + l + "'");
            }
        }
    }
}
