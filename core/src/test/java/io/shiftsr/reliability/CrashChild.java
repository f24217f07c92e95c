package io.shiftsr.reliability;

import io.shiftsr.image.ImageWriting;
import io.shiftsr.image.TestImages;
import java.nio.file.Path;

/** Run in a child JVM by {@link CrashSafetyTest}, which kills it with SIGKILL at a random moment. */
public final class CrashChild {
    private CrashChild() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "image" -> {
                // Rewrites one output over and over; each version is a whole 1500x1500 PNG of one seed.
                Path file = Path.of(args[1]);
                for (int k = 1; ; k++) {
                    ImageWriting.write(TestImages.noise(1500, 1500, 3, false, k), file);
                    System.out.println("wrote " + k);
                    System.out.flush();
                }
            }
            case "train" -> {
                System.exit(io.shiftsr.cli.Main.commandLine().execute(args)); // args[0] is the subcommand

            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
