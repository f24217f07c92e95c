package io.shiftsr.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the bundled model lives: models/shiftsr-x4.safetensors next to the jar's project folder. */
final class DefaultModel {
    static final String FILE = "models/shiftsr-x4.safetensors";

    private DefaultModel() {}

    static Path path() {
        String override = System.getProperty("shiftsr.model");
        if (override != null) {
            return Path.of(override);
        }
        return besideProject(FILE);
    }

    /** A file of the project (e.g. configs/x4.yaml) found beside the jar, whatever the working directory. */
    static Path besideProject(String relative) {
        try {
            // target/shiftsr.jar or target/classes -> project root
            Path code = Path.of(DefaultModel.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path root = code.getParent() == null ? Path.of(".") : code.getParent().getParent();
            Path p = root.resolve(relative);
            if (Files.exists(p)) {
                return p;
            }
        } catch (URISyntaxException | SecurityException e) {
            // fall through to the working directory
        }
        return Path.of(relative);
    }
}
