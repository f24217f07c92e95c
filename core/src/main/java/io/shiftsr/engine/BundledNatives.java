package io.shiftsr.engine;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.pytorch.global.torch;

/**
 * Loads the libtorch natives bundled in the presets' jars so that they, and never a libtorch installed on the
 * system, are the ones mapped.
 *
 * <p>Why: JavaCPP extracts each library to its cache just before loading it, and loads {@code libtorch.so}
 * before {@code libtorch_cpu.so}. On a first run (empty cache) the dynamic linker resolves
 * {@code libtorch.so}'s {@code NEEDED libtorch_cpu.so} while the bundled one is not extracted yet, so it takes
 * the system's ({@code /lib/x86_64-linux-gnu/libtorch_cpu.so} of Debian's {@code python3-torch}, libtorch 1.13)
 * and the JVM crashes on the mix; the second run, with a full cache, works. {@code LD_LIBRARY_PATH} also
 * outranks the bundled libraries' {@code RUNPATH $ORIGIN}. So: extract every library first, then load them by
 * absolute path, leaves first; each one's dependencies are then already loaded under their sonames and the
 * linker reuses them instead of searching. JavaCPP's own load afterwards finds them loaded.
 */
final class BundledNatives {
    /** Leaves first: each entry's NEEDED libraries (of the pytorch jar) come before it. */
    private static final String[] TORCH_LIBRARIES = {"libgomp.so.1", "libc10.so", "libtorch_cpu.so", "libtorch.so"};

    private BundledNatives() {}

    static void load() {
        Loader.load(openblas.class); // libopenblas.so.0, which libtorch_cpu.so needs; from its own jar
        String dir = "/org/bytedeco/pytorch/" + Loader.getPlatform() + "/";
        List<File> extracted = new ArrayList<>();
        try {
            for (String name : TORCH_LIBRARIES) {
                File file = Loader.cacheResource(torch.class, dir + name); // null: not in this preset version
                if (file != null) {
                    extracted.add(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the bundled libtorch natives to "
                    + System.getProperty("org.bytedeco.javacpp.cachedir", "the JavaCPP cache") + ": " + e.getMessage(), e);
        }
        for (File file : extracted) {
            System.load(file.getAbsolutePath());
        }
        Loader.load(torch.class);
    }
}
