package io.shiftsr.image;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.stream.Stream;

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

    /** One input and where its output goes below the output folder (its path below a walked folder). */
    public record Input(Path path, Path relative) {}

    /** As {@link #listInputs(List, boolean)} without recursion, paths only. */
    public static List<Path> listInputs(List<String> args) {
        return listInputs(args, false).stream().map(Input::path).toList();
    }

    /**
     * Expands command-line inputs: files as given, folders to their image files (png/jpg/jpeg/bmp/webp/tif/tiff,
     * any case; with {@code recursive} every subfolder too, not following links below a folder given, though the
     * folder may itself be a link), glob patterns
     * ({@code data/*.png}, {@code **}) to the files they match. A file found in a walked folder keeps its path
     * below that folder as {@link Input#relative()}; others just their name. Sorted, without duplicates. A
     * missing path, a pattern without matches or an image-less folder is an error.
     */
    public static List<Input> listInputs(List<String> args, boolean recursive) {
        return listInputs(args, recursive, null);
    }

    /**
     * As {@link #listInputs(List, boolean)}, but a path that does not exist goes to {@code missing} (once, in the
     * order given) for the caller to report, instead of being an error; null keeps it an error.
     */
    public static List<Input> listInputs(List<String> args, boolean recursive, List<Path> missing) {
        return listInputs(args, recursive, missing, null);
    }

    /**
     * As {@link #listInputs(List, boolean, List)}, leaving out what a folder walk or a pattern finds below
     * {@code outputFolder} when that folder lies strictly inside the walked one: a rerun with {@code --out IN/out}
     * must not take the previous run's outputs for inputs. Files named one by one are kept. Null: nothing left out.
     */
    public static List<Input> listInputs(List<String> args, boolean recursive, List<Path> missing, Path outputFolder) {
        Path outReal = outputFolder == null ? null : realOrAbsolute(outputFolder);
        TreeMap<Path, Path> out = new TreeMap<>();
        // One file spelled two ways (a.png, ./a.png, its absolute path) is one input, under its first spelling.
        java.util.Set<Path> seen = new java.util.HashSet<>();
        java.util.function.BiConsumer<Path, Path> add = (f, rel) -> {
            if (seen.add(f.toAbsolutePath().normalize())) {
                out.putIfAbsent(f, rel);
            }
        };
        for (String arg : args) {
            Path p = tryPath(arg);
            if (p != null && Files.isDirectory(p)) {
                int[] found = {0};
                java.util.function.Predicate<Path> outside = outsideOutput(p, outReal);
                try (Stream<Path> s = walk(p, recursive ? Integer.MAX_VALUE : 1)) {
                    s.filter(f -> Files.isRegularFile(f) && ImageFormats.EXTENSIONS.contains(extension(f)))
                            .filter(outside)
                            .forEach(f -> {
                                found[0]++;
                                add.accept(f, p.relativize(f));
                            });
                } catch (IOException | java.io.UncheckedIOException e) {
                    throw new ImageException(ImageException.Kind.IO_ERROR, arg + ": cannot list folder ("
                            + e.getMessage() + ")", e);
                }
                if (found[0] == 0) {
                    throw new ImageException(arg + ": no image files (" + ImageFormats.EXTENSIONS_TEXT + ") in this folder"
                            + (recursive ? " or below it" : ""));
                }
            } else if (p != null && Files.exists(p)) {
                add.accept(p, p.getFileName());
            } else if (isGlob(arg)) {
                List<Path> matches = glob(arg, outReal);
                if (matches.isEmpty()) {
                    throw new ImageException(arg + ": no files match this pattern");
                }
                matches.forEach(f -> add.accept(f, f.getFileName()));
            } else if (missing != null && p != null) {
                if (seen.add(p.toAbsolutePath().normalize())) { // one missing file spelled two ways: one error
                    missing.add(p);
                }
            } else {
                throw new ImageException(arg + ": no such file or folder");
            }
        }
        List<Input> list = new ArrayList<>();
        out.forEach((path, rel) -> list.add(new Input(path, rel)));
        return list;
    }

    /**
     * Keeps a found file unless it lies below the output folder and that folder is strictly inside {@code root}
     * (the output folder being the walked folder itself is not a nested tree: its files are the inputs).
     */
    private static java.util.function.Predicate<Path> outsideOutput(Path root, Path outReal) {
        if (outReal == null) {
            return f -> true;
        }
        Path rootReal = realOrAbsolute(root);
        if (outReal.equals(rootReal) || !outReal.startsWith(rootReal)) {
            return f -> true;
        }
        return f -> !realOrAbsolute(f).startsWith(outReal);
    }

    private static Path realOrAbsolute(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    /**
     * Files.walk that follows {@code root} itself when it is a link (as {@code find -H} does: Files.walk alone
     * sees the link, not a folder, and yields nothing below it), never the links below it, so a loop inside the
     * tree is not walked. Paths are spelled below {@code root} as given.
     */
    private static Stream<Path> walk(Path root, int depth) throws IOException {
        if (!Files.isSymbolicLink(root)) {
            return Files.walk(root, depth);
        }
        Path real = root.toRealPath();
        return Files.walk(real, depth).map(f -> root.resolve(real.relativize(f)));
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
    private static List<Path> glob(String pattern, Path outReal) {
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
        try (Stream<Path> s = walk(walkRoot, depth)) {
            s.filter(Files::isRegularFile).filter(outsideOutput(walkRoot, outReal)).forEach(f -> {
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
