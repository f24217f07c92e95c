package io.shiftsr.data;

import io.shiftsr.image.Degradation;
import io.shiftsr.image.Image;
import io.shiftsr.image.ImageException;
import io.shiftsr.image.ImageReading;
import io.shiftsr.image.InputFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one HR/LR pairing of validation, evaluation and metrics, as BasicSR's paired dataset (DESIGN.md section
 * 7): pairs by base name, one mod-crop rule, and one rule for which HR pixels an SR image is scored against.
 */
public final class PairedImages {
    /** An HR image (mod-cropped) and its LR, given or made by the standard degradation. */
    public record Pair(String name, Image hr, Image lr) {}

    private PairedImages() {
    }

    /**
     * The mod-crop rule: at an integer scale the HR is cropped (right and bottom) to a multiple of it, so the
     * LR is exactly HR / s; at a fractional scale no size is a multiple, and the HR is kept whole.
     */
    public static Image modCrop(Image hr, double scale) {
        return scale == Math.rint(scale) ? Degradation.modCrop(hr, (int) scale) : hr;
    }

    /**
     * Pairs HR files with LR files of the same base name in {@code lrDir}, or degrades each HR when it is null.
     * A file that cannot be read, or has no LR, is passed to {@code skip} (one line) and left out.
     */
    public static List<Pair> fromFiles(List<Path> hrFiles, Path lrDir, double scale, Consumer<String> skip) {
        byBaseName(hrFiles);
        Map<String, Path> lrByName = lrDir == null ? Map.of()
                : byBaseName(InputFiles.listInputs(List.of(lrDir.toString())));
        List<Pair> out = new ArrayList<>();
        for (Path hrFile : hrFiles) {
            String name = InputFiles.baseName(hrFile);
            try {
                Image hr = modCrop(ImageReading.read(hrFile).toRgb().withoutAlpha(), scale);
                Image lr;
                if (lrDir == null) {
                    lr = Degradation.degrade(hr, scale);
                } else {
                    Path match = lrByName.get(name);
                    if (match == null) {
                        throw new ImageException(hrFile + ": no LR image named " + name + " in " + lrDir);
                    }
                    lr = ImageReading.read(match).toRgb().withoutAlpha();
                    // An LR of another size cannot be scored against this HR: that pair is skipped like an
                    // unreadable file, not the whole evaluation aborted when its SR is compared.
                    if (!withinOneLrPixel(io.shiftsr.image.MatlabBicubic.outputSize(lr.width(), scale),
                            io.shiftsr.image.MatlabBicubic.outputSize(lr.height(), scale), hr, scale)) {
                        throw new ImageException(match + ": " + lr.width() + "x" + lr.height() + " is not the LR of "
                                + hrFile.getFileName() + " (" + hr.width() + "x" + hr.height() + ") at x"
                                + (scale == Math.rint(scale) ? String.valueOf((long) scale) : String.valueOf(scale))
                                + ", skipped");
                    }
                }
                out.add(new Pair(name, hr, lr));
            } catch (ImageException | IllegalArgumentException e) {
                skip.accept(e.getMessage());
            }
        }
        return out;
    }

    /**
     * The files by base name, the key of every pairing. Two files of one base name (a.png and a.jpg, or a.png in
     * two folders) make the pairing ambiguous: that is an error naming both, not a silent choice of one.
     *
     * @throws ImageException naming both files when two have the same base name
     */
    public static Map<String, Path> byBaseName(List<Path> files) {
        Map<String, Path> byName = new LinkedHashMap<>();
        for (Path p : files) {
            Path first = byName.putIfAbsent(InputFiles.baseName(p), p);
            if (first != null && !first.toAbsolutePath().normalize().equals(p.toAbsolutePath().normalize())) {
                throw new ImageException(first + " and " + p + " have the same base name '" + InputFiles.baseName(p)
                        + "'; files are paired by it (rename or remove one)");
            }
        }
        return byName;
    }

    /**
     * The HR pixels an SR image of that size is scored against: the HR itself when the sizes agree, else its
     * mod-crop; an SR of a given LR that is not exactly HR / s may also differ by less than one LR pixel
     * (scale HR pixels) on a side, and then the overlap is scored. Anything else is a pairing mistake.
     *
     * @return {sr, hr} cut to the same size
     * @throws IllegalArgumentException when the sizes do not belong together
     */
    public static Image[] aligned(Image sr, Image hr, double scale) {
        if (sr.width() == hr.width() && sr.height() == hr.height()) {
            return new Image[] {sr, hr};
        }
        Image cropped = modCrop(hr, scale);
        if (!withinOneLrPixel(sr.width(), sr.height(), cropped, scale)) {
            throw new IllegalArgumentException("size " + sr.width() + "x" + sr.height() + " does not match HR ("
                    + hr.width() + "x" + hr.height() + ") at scale " + scale);
        }
        int w = Math.min(sr.width(), cropped.width()), h = Math.min(sr.height(), cropped.height());
        return new Image[] {sr.crop(0, 0, w, h), cropped.crop(0, 0, w, h)};
    }

    /** The size rule of {@link #aligned}: w x h differs from the mod-cropped HR by less than one LR pixel a side. */
    private static boolean withinOneLrPixel(int w, int h, Image cropped, double scale) {
        int slack = (int) Math.ceil(scale);
        return Math.abs(w - cropped.width()) < slack && Math.abs(h - cropped.height()) < slack;
    }
}
