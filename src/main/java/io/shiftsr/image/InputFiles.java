package io.shiftsr.image;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import io.shiftsr.io.AtomicFiles;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;


/** What the command line's INPUT arguments name: files, folders of images and glob patterns. */
public final class InputFiles {
    private InputFiles() {
    }

    /** Lower-case extension without the dot ("" when none). */
    public static String extension(Path path) {
        String n = path.getFileName() == null ? "" : path.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** File name without its extension: the key that pairs SR and HR files and names outputs. */
    public static String baseName(Path path) {
        String n = path.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot <= 0 ? n : n.substring(0, dot);
    }

    /**
     * Expands command-line inputs: files as given, folders to their image files (png/jpg/jpeg/bmp/webp, any
     * case, not recursive), glob patterns ({@code data/*.png}, {@code **}) to the files they match. Returns
     * a sorted list without duplicates. A missing path, a pattern without matches or an image-less folder
     * is an error.
     */
    public static List<Path> listInputs(List<String> args) {
        TreeSet<Path> out = new TreeSet<>();
        for (String arg : args) {
            Path p = tryPath(arg);
            if (p != null && Files.isDirectory(p)) {
                int before = out.size();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                    for (Path f : ds) {
                        if (Files.isRegularFile(f) && ImageFormats.EXTENSIONS.contains(extension(f))) {
                            out.add(f);
                        }
                    }
                } catch (IOException e) {
                    throw new ImageException(ImageException.Kind.IO_ERROR, arg + ": cannot list folder ("
                            + e.getMessage() + ")", e);
                }
                if (out.size() == before) {
                    throw new ImageException(arg + ": no image files (" + ImageFormats.EXTENSIONS_TEXT + ") in this folder");
                }
            } else if (p != null && Files.exists(p)) {
                out.add(p);
            } else if (isGlob(arg)) {
                List<Path> matches = glob(arg);
                if (matches.isEmpty()) {
                    throw new ImageException(arg + ": no files match this pattern");
                }
                out.addAll(matches);
            } else {
                throw new ImageException(arg + ": no such file or folder");
            }
        }
        return new ArrayList<>(out);
    }

    private static Path tryPath(String s) {
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static boolean isGlob(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
    }

    /** Files matching a glob: walks from the longest literal folder prefix, as deep as the pattern needs. */
    private static List<Path> glob(String pattern) {
        String sep = FileSystems.getDefault().getSeparator();
        String norm = pattern.replace(sep, "/");
        String[] parts = norm.split("/", -1);
        int literal = 0;
        while (literal < parts.length - 1 && !isGlob(parts[literal])) {
            literal++;
        }
        String prefix = String.join("/", java.util.Arrays.copyOfRange(parts, 0, literal));
        if (norm.startsWith("/") && prefix.isEmpty()) {
            prefix = "/";
        }
        boolean relative = prefix.isEmpty();
        Path walkRoot = relative ? Path.of(".") : Path.of(prefix);
        int depth = norm.contains("**") ? Integer.MAX_VALUE : parts.length - literal;
        PathMatcher matcher;
        try {
            matcher = FileSystems.getDefault().getPathMatcher("glob:" + norm);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new ImageException(pattern + ": not a valid glob pattern (" + e.getDescription() + ")");
        }
        if (!Files.isDirectory(walkRoot)) {
            return List.of();
        }
        List<Path> result = new ArrayList<>();
        try (Stream<Path> s = Files.walk(walkRoot, depth)) {
            s.filter(Files::isRegularFile).forEach(f -> {
                // Match against the path spelled like the pattern (no "./" prefix for relative patterns).
                Path rel = relative ? walkRoot.relativize(f) : f;
                if (matcher.matches(rel)) {
                    result.add(rel);
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ImageException(ImageException.Kind.IO_ERROR, pattern + ": cannot search ("
                    + e.getMessage() + ")", e);
        }
        return result;
    }
}
