package io.shiftsr.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the bundled model lives: models/shiftsr-x4.safetensors of the clone or distribution the jar is in. */
final class DefaultModel {
    static final String FILE = "models/shiftsr-x4.safetensors";

    private DefaultModel() {}

    /**
     * The model a command uses without --model: the file beside the project when there is one (or
     * -Dshiftsr.model), else the copy packed into the jar (a library jar, another module's classpath).
     */
    static io.shiftsr.ShiftSr load(Path model) {
        if (model != null) {
            return io.shiftsr.ShiftSr.load(model);
        }
        Path file = path();
        return Files.exists(file) || System.getProperty("shiftsr.model") != null ? io.shiftsr.ShiftSr.load(file)
                : io.shiftsr.ShiftSr.load();
    }

    static Path path() {
        String override = System.getProperty("shiftsr.model");
        if (override != null) {
            return Path.of(override);
        }
        return besideProject(FILE);
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
