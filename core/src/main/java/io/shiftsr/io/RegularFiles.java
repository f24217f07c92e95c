package io.shiftsr.io;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one check before a file is read whole: a folder is not a file, and neither is a FIFO (opening it waits for a
 * writer) or a device such as /dev/zero (it never ends). Links are followed; a missing file passes, for the read to
 * say so in its own words.
 */
public final class RegularFiles {
    private RegularFiles() {
    }

    /** Why {@code path} cannot be read as {@code what} ("an image file"), or null when it can (or is missing). */
    public static String refusal(Path path, String what) {
        if (Files.isDirectory(path)) {
            return "is a folder, not " + what;
        }
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            return "not a regular file";
        }
        return null;
    }
}
