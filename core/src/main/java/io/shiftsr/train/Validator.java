package io.shiftsr.train;

import io.shiftsr.data.PairedImages;
import io.shiftsr.image.Image;
import io.shiftsr.image.MatlabBicubic;
import io.shiftsr.inference.DiffusionUpscaler;
import io.shiftsr.sr.Sampling;
import io.shiftsr.metrics.ImageMetrics;
import io.shiftsr.sr.ShiftSrModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores a model on a validation folder with hr/ and lr/ (x4 pairs, the val-x4 layout), next to bicubic,
 * with the evaluation protocol of DESIGN.md section 7 (PSNR/SSIM on Y, border = scale).
 */
public final class Validator {
    public static final int SCALE = 4;

    record Pair(String name, Image hr, Image lr, ImageMetrics bicubic) {}

    public record Result(double psnrY, double ssimY, double bicubicPsnrY, double bicubicSsimY, List<Image> crops) {}

    private final List<Pair> pairs = new ArrayList<>();

    public Validator(Path dir, int maxImages) {
        Path hrDir = dir.resolve("hr");
        Path lrDir = dir.resolve("lr");
        if (!Files.isDirectory(hrDir) || !Files.isDirectory(lrDir)) {
            throw new IllegalArgumentException(dir + ": a validation folder needs hr/ and lr/ subfolders");
        }
        List<Path> hrFiles = PhotoLibrary.list(hrDir);
        if (maxImages > 0 && hrFiles.size() > maxImages) {
            hrFiles = hrFiles.subList(0, maxImages);
        }
        for (PairedImages.Pair p : PairedImages.fromFiles(hrFiles, lrDir, SCALE, msg -> { })) {
            Image bic = MatlabBicubic.resize(p.lr(), p.hr().width(), p.hr().height(), SCALE).quantize8();
            pairs.add(new Pair(p.name(), p.hr(), p.lr(), ImageMetrics.of(bic, p.hr(), SCALE)));
        }
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException(dir + ": no hr/lr image pairs with matching names");
        }
    }

    public int size() {
        return pairs.size();
    }

    /** Upscales every LR with DeltaDiff at {@code steps} and scores it; also returns a crop per image. */
    public Result validate(ShiftSrModel model, int steps) {
        DiffusionUpscaler up = new DiffusionUpscaler(model, Sampling.deltaDiff(steps));
        double psnr = 0, ssim = 0, bp = 0, bs = 0;
        List<Image> crops = new ArrayList<>();
        for (Pair p : pairs) {
            Image[] pair = PairedImages.aligned(up.upscale(p.lr(), SCALE).quantize8(), p.hr(), SCALE);
            Image sr = pair[0];
            ImageMetrics m = ImageMetrics.of(sr, pair[1], SCALE);
            psnr += m.psnrY();
            ssim += m.ssimY();
            bp += p.bicubic().psnrY();
            bs += p.bicubic().ssimY();
            crops.add(centreCrop(sr));
        }
        int n = pairs.size();
        return new Result(psnr / n, ssim / n, bp / n, bs / n, crops);
    }

    /** Bicubic and HR centre crops matching {@link Result#crops()}, for comparison grids. */
    public List<List<Image>> referenceCrops() {
        List<List<Image>> out = new ArrayList<>();
        for (Pair p : pairs) {
            Image bic = MatlabBicubic.resize(p.lr(), p.hr().width(), p.hr().height(), SCALE).quantize8();
            out.add(List.of(centreCrop(bic), centreCrop(p.hr())));
        }
        return out;
    }

    static Image centreCrop(Image img) {
        int s = Math.min(128, Math.min(img.width(), img.height()));
        return img.crop((img.width() - s) / 2, (img.height() - s) / 2, s, s);
    }
}
