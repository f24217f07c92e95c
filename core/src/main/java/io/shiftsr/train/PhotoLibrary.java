package io.shiftsr.train;

import io.shiftsr.image.Image;
import io.shiftsr.image.ImageException;
import io.shiftsr.image.ImageFormats;
import io.shiftsr.image.ImageReading;
import io.shiftsr.image.InputFiles;
import io.shiftsr.image.MatlabBicubic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The training photos: found recursively (a DIV2K-style train/HR layout works as is), decoded on first use,
 * optionally shrunk (DESIGN.md section 6b) and kept as 8-bit RGB within a memory cap (least recently used
 * out first). A file that fails to decode is reported once and never used again.
 */
public final class PhotoLibrary {
    /** An RGB photo as 8-bit planes: a quarter of the float size, and what a real file holds anyway. */
    public record Photo(int width, int height, byte[][] planes) {
        long bytes() {
            return 3L * width * height;
        }
    }

    private final List<Path> files;
    private final double shrink;
    private final long capBytes;
    private final Consumer<String> warn;
    private final Map<Integer, Photo> cache = new LinkedHashMap<>(16, 0.75f, true);
    private final boolean[] bad;
    private long cachedBytes;

    public PhotoLibrary(Path root, double shrink, long capBytes, Consumer<String> warn) {
        this.files = list(root);
        if (files.isEmpty()) {
            throw new IllegalArgumentException(root + ": no training images (" + io.shiftsr.image.ImageFormats.EXTENSIONS_TEXT + ") found");
        }
        this.shrink = shrink;
        this.capBytes = capBytes;
        this.warn = warn;
        this.bad = new boolean[files.size()];
    }

    static List<Path> list(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException(root + ": not a folder");
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> ImageFormats.EXTENSIONS.contains(InputFiles.extension(p).toLowerCase(Locale.ROOT)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int size() {
        return files.size();
    }

    /**
     * Fails fast, from the headers alone, when no photo is large enough for {@code crop} after the shrink, or
     * none is readable: otherwise the trainer would decode (and cache) every photo before finding out.
     */
    public void requireUsable(int crop) {
        int readable = 0;
        for (Path f : files) {
            try {
                int[] wh = ImageReading.dimensions(f);
                readable++;
                if (Math.min(wh[0], wh[1]) / shrink >= crop) {
                    return;
                }
            } catch (ImageException e) {
                // counted below
            }
        }
        throw new IllegalArgumentException(readable == 0
                ? "none of the " + files.size() + " training images is readable"
                : "no training image is at least " + crop + "x" + crop + " pixels after shrinking by " + shrink
                        + " (lower data.crop or data.shrinkFirst)");
    }

    public Path path(int i) {
        return files.get(i);
    }

    /** True once the cache holds as much as its cap allows: warming further would only evict. */
    public synchronized boolean cacheFull() {
        return cachedBytes >= capBytes;
    }

    /** The photo, or null if the file is unusable (reported once). */
    public synchronized Photo get(int i) {
        if (bad[i]) {
            return null;
        }
        Photo p = cache.get(i);
        if (p != null) {
            return p;
        }
        try {
            p = decode(files.get(i));
        } catch (ImageException | IllegalArgumentException e) {
            bad[i] = true;
            warn.accept("skipping a training image: " + e.getMessage());
            return null;
        }
        cache.put(i, p);
        cachedBytes += p.bytes();
        var it = cache.entrySet().iterator();
        while (cachedBytes > capBytes && cache.size() > 1 && it.hasNext()) {
            var e = it.next();
            if (e.getKey() != i) {
                cachedBytes -= e.getValue().bytes();
                it.remove();
            }
        }
        return p;
    }

    private Photo decode(Path file) {
        Image img = ImageReading.read(file).toRgb().withoutAlpha();
        if (shrink > 1) {
            img = MatlabBicubic.resize(img, 1.0 / shrink);
        }
        byte[][] planes = new byte[3][];
        for (int c = 0; c < 3; c++) {
            float[] f = img.plane(c);
            byte[] b = new byte[f.length];
            for (int k = 0; k < f.length; k++) {
                b[k] = (byte) Image.to8(f[k]);
            }
            planes[c] = b;
        }
        return new Photo(img.width(), img.height(), planes);
    }
}
