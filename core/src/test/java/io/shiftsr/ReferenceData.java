package io.shiftsr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The validation set the reference tests use: the shared one (../shared/data/val-x4 from the repo root, 8
 * images) when present, else the one-image subset bundled under src/test/resources, so that a clean clone
 * runs the same checks (on less data). Both have hr/, lr/ and reference.json.
 */
public final class ReferenceData {
    public static final Path SHARED = Path.of("../shared/data/val-x4");
    public static final Path BUNDLED = Path.of("core/src/test/resources/io/shiftsr/reference/val-x4");

    private ReferenceData() {
    }

    public static Path root() {
        Path root = Files.isDirectory(SHARED.resolve("hr")) && Files.isDirectory(SHARED.resolve("lr")) ? SHARED : BUNDLED;
        if (!announced) {
            announced = true;
            System.out.println("reference tests use " + describe(root));
        }
        return root;
    }

    private static boolean announced;

    /** Which set a test ran on, for its messages: the shared 8 images or the bundled one-image subset. */
    public static String describe(Path root) {
        return root.equals(SHARED) ? "the shared validation set " + SHARED + " (8 images)"
                : "the bundled one-image subset " + BUNDLED + " (../shared/data/val-x4 not found)";
    }

    /** Base names of the HR images, sorted. */
    public static List<String> names() {
        try (Stream<Path> s = Files.list(root().resolve("hr"))) {
            return s.map(p -> p.getFileName().toString().replaceFirst("\\.png$", "")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
