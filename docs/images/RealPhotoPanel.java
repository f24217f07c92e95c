import io.shiftsr.image.Image;
import io.shiftsr.image.ImageReading;
import io.shiftsr.image.ImageWriting;
import io.shiftsr.image.SideBySide;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes the README's real-photo figure: 100% crops of the same region of several upscales of one input, in a
 * row with labels, and the input (nearest-neighbour enlarged to the output size) first.
 *
 * <pre>
 * java -cp "core/target/shiftsr.jar:core/target/lib/*" docs/images/RealPhotoPanel.java OUT.png X,Y[;X,Y...] SIZE \
 *     INPUT.jpg "label:FILE.png" "label:FILE.png" ...
 * </pre>
 * Each X,Y (output pixels) is one row of SIZE x SIZE crops. The commands that made docs/images/real-photo-*.png
 * are in the README.
 */
public class RealPhotoPanel {
    public static void main(String[] a) {
        Path out = Path.of(a[0]);
        int size = Integer.parseInt(a[2]);
        List<String> labels = new ArrayList<>();
        List<Image> outputs = new ArrayList<>();
        for (int i = 4; i < a.length; i++) {
            int colon = a[i].indexOf(':');
            labels.add(a[i].substring(0, colon));
            outputs.add(ImageReading.read(Path.of(a[i].substring(colon + 1))));
        }
        Image input = ImageReading.read(Path.of(a[3]));
        int factor = outputs.get(0).width() / input.width();
        Image nearest = SideBySide.zoomNearest(input, factor);
        labels.add(0, "input (JPEG, " + factor + "x nearest)");
        List<List<Image>> rows = new ArrayList<>();
        for (String xy : a[1].split(";")) {
            int x = Integer.parseInt(xy.split(",")[0].trim()), y = Integer.parseInt(xy.split(",")[1].trim());
            List<Image> row = new ArrayList<>();
            row.add(nearest.crop(x, y, size, size));
            for (Image o : outputs) {
                row.add(o.crop(x, y, size, size));
            }
            rows.add(row);
        }
        ImageWriting.write(SideBySide.grid(rows, labels, 4), out);
    }
}
