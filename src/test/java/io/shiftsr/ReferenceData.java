package io.shiftsr;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The shared validation set (../shared/data/val-x4 from the repo root); tests skip when it is absent. */
public final class ReferenceData {
    public static final Path ROOT = Path.of("../shared/data/val-x4");

    private ReferenceData() {
    }

    public static Path root() {
        assumeTrue(Files.isDirectory(ROOT.resolve("hr")) && Files.isDirectory(ROOT.resolve("lr")),
                "reference data not found at " + ROOT.toAbsolutePath());
        return ROOT;
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
