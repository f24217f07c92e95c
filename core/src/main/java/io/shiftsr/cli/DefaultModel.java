package io.shiftsr.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the bundled model lives: models/shiftsr.safetensors of the clone or distribution the jar is in. */
final class DefaultModel {
    static final String FILE = "models/shiftsr.safetensors";
    /** The bundled file's name before 2026-12-05: it serves every scale in (1, 4], not x4 only. */
    static final String OLD_NAME = "shiftsr-x4.safetensors";

    private DefaultModel() {}

    /**
     * The model a command uses: --model when given, else the file beside the project when there is one (or
     * -Dshiftsr.model), else the copy packed into the jar (a library jar, another module's classpath). The
     * bundled file's old name, shiftsr-x4.safetensors, still works: it is read as the new file, with a notice.
     */
    static io.shiftsr.ShiftSr load(Path model, java.util.function.Consumer<String> notice) {
        if (model != null) {
            return io.shiftsr.ShiftSr.load(renamed(model, notice));
        }
        Path file = renamed(path(), notice);
        return Files.exists(file) || System.getProperty("shiftsr.model") != null ? io.shiftsr.ShiftSr.load(file)
                : io.shiftsr.ShiftSr.load();
    }

    /** What {@link #load} reads without --model: the file's path, or the copy in the jar. */
    static String describe() {
        Path file = renamed(path(), line -> { }); // load said the notice already
        return Files.exists(file) || System.getProperty("shiftsr.model") != null ? file.toString()
                : "the copy in the jar (" + io.shiftsr.ShiftSr.BUNDLED_MODEL + ")";
    }

    static Path path() {
        String override = System.getProperty("shiftsr.model");
        if (override != null) {
            return Path.of(override);
        }
        return besideProject(FILE);
    }

    /** {@code DIR/shiftsr-x4.safetensors} that is gone while DIR/shiftsr.safetensors is there: the latter. */
    static Path renamed(Path model, java.util.function.Consumer<String> notice) {
        if (Files.exists(model) || model.getFileName() == null || !model.getFileName().toString().equals(OLD_NAME)) {
            return model;
        }
        Path now = model.resolveSibling(Path.of(FILE).getFileName());
        if (!Files.isRegularFile(now)) {
            return model;
        }
        notice.accept(OLD_NAME + " is now " + now.getFileName() + " (it serves every scale in (1, 4]); reading " + now);
        return now;
    }

    /**
     * A file of the project (e.g. configs/x4.yaml) found beside the jar, whatever the working directory: the jar
     * sits in core/target/ of a clone, or at the top of the unpacked distribution.
     */
    static Path besideProject(String relative) {
        try {
            Path code = Path.of(DefaultModel.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // The unpacked distribution: shiftsr.jar at the top; a clone: core/target/shiftsr.jar or
            // core/target/classes, three folders below the top.
            Path root = code.getParent();
            for (int up = 0; up < 3 && root != null; up++, root = root.getParent()) {
                if (Files.exists(root.resolve(relative))) {
                    return root.resolve(relative);
                }
            }
        } catch (URISyntaxException | SecurityException e) {
            // fall through to the working directory
        }
        return Path.of(relative);
    }
}
