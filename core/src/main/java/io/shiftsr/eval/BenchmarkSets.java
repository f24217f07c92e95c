package io.shiftsr.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the standard SR benchmark sets under a root folder, as they are usually unpacked: a folder per set
 * (Set5, Set14, B100 or BSDS100, Urban100, Manga109, DIV2K_valid_HR), holding the HR images either directly or
 * in a sub-folder named HR, GTmod12, GT or original. LR folders shipped with the sets are not used: the LR is
 * made from HR by the standard degradation, so every set is scored the same way.
 */
public final class BenchmarkSets {
    /** A set found on disk. */
    public record Set(String name, Path hrDir) {}

    /** Canonical name, then the folder names it goes by (compared ignoring case, '_', '-' and spaces). */
    private static final String[][] KNOWN = {
        {"Set5", "set5"},
        {"Set14", "set14"},
        {"B100", "b100", "bsds100", "bsd100"},
        {"Urban100", "urban100"},
        {"Manga109", "manga109"},
        {"DIV2K-valid", "div2kvalid", "div2kvalidhr", "div2kval", "div2k"},
    };
    private static final List<String> HR_SUBFOLDERS = List.of("hr", "gtmod12", "gt", "original");

    private BenchmarkSets() {}

    /** The sets under {@code root}, in the usual reporting order; refuses a root with none. */
    public static List<Set> find(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException(root + ": no such benchmark folder");
        }
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, Files::isDirectory)) {
            ds.forEach(children::add);
        } catch (IOException e) {
            throw new UncheckedIOException(root + ": cannot list (" + e.getMessage() + ")", e);
        }
        List<Set> sets = new ArrayList<>();
        for (String[] known : KNOWN) {
            for (Path child : children) {
                String key = key(child.getFileName().toString());
                for (int i = 1; i < known.length; i++) {
                    if (key.equals(known[i])) {
                        sets.add(new Set(known[0], hrFolder(child)));
                        break;
                    }
                }
            }
        }
        if (sets.isEmpty()) {
            throw new IllegalArgumentException(root + ": no benchmark set folder (Set5, Set14, B100/BSDS100, Urban100,"
                    + " Manga109, DIV2K_valid_HR) in it");
        }
        return sets;
    }

    private static Path hrFolder(Path set) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(set, Files::isDirectory)) {
            for (Path sub : ds) {
                if (HR_SUBFOLDERS.contains(sub.getFileName().toString().toLowerCase(Locale.ROOT))) {
                    return sub;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(set + ": cannot list (" + e.getMessage() + ")", e);
        }
        return set;
    }

    private static String key(String folder) {
        return folder.toLowerCase(Locale.ROOT).replaceAll("[\\s_-]", "");
    }
}
