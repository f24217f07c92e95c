package io.shiftsr.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.shiftsr.image.Image;
import io.shiftsr.image.ImageReading;
import io.shiftsr.image.ImageWriting;
import io.shiftsr.image.SideBySide;
import io.shiftsr.image.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesSideBySideWithADifferenceMapThatLightsUpOnlyWhereTheImagesDiffer() throws Exception {
        Image a = TestImages.noise(40, 30, 3, false, 1);
        float[][] planes = new float[3][];
        for (int c = 0; c < 3; c++) {
            planes[c] = a.plane(c).clone();
            for (int y = 10; y < 20; y++) {
                for (int x = 5; x < 15; x++) {
                    planes[c][y * 40 + x] = 1f - planes[c][y * 40 + x];
                }
            }
        }
        Path pa = dir.resolve("a.png"), pb = dir.resolve("b.png"), out = dir.resolve("cmp.png");
        ImageWriting.write(a, pa);
        ImageWriting.write(Image.of(40, 30, planes), pb);
        CliTest.Run r = CliTest.run("compare", pa.toString(), pb.toString(), "--hr", pa.toString(), "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("A vs B ") && r.out().contains("B vs HR"), r.out());
        Image cmp = ImageReading.read(out);
        assertEquals(4 * 40 + 3 * 8, cmp.width());
        int diffX = 2 * (40 + 8); // third tile
        int top = SideBySide.LABEL_HEIGHT;
        float inside = cmp.plane(0)[(top + 15) * cmp.width() + diffX + 10];
        float outside = cmp.plane(0)[(top + 25) * cmp.width() + diffX + 30];
        assertTrue(inside > 0.05f, "changed patch shows: " + inside);
        assertEquals(0f, outside, 1e-6f, "unchanged pixels stay black");

        CliTest.Run again = CliTest.run("compare", pa.toString(), pb.toString(), "-o", out.toString());
        // Every command's existing output without --overwrite is an output error (OutputGuard, README).
        assertEquals(ExitCode.IO_ERROR, again.code());
        assertTrue(again.err().contains("exists"), again.err());
    }

    @Test
    void imagesOfDifferentSizesAreOneLineBadInput() {
        Path pa = TestImages.write(dir.resolve("a.png"), 20, 20, 3, false);
        Path pb = TestImages.write(dir.resolve("b.png"), 21, 20, 3, false);
        CliTest.Run r = CliTest.run("compare", pa.toString(), pb.toString(), "-o", dir.resolve("c.png").toString());
        assertEquals(ExitCode.BAD_INPUT, r.code());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("same size"), r.err());
        assertFalse(Files.exists(dir.resolve("c.png")));
    }

    /** Issue 31 item 14: "-o x.webp" or a missing folder failed only after every image was read and scored. */
    @Test
    void anUnwritableOutputIsRefusedBeforeAnyScoring() {
        Path pa = TestImages.write(dir.resolve("a.png"), 20, 20, 3, false);
        Path pb = TestImages.write(dir.resolve("b.png"), 20, 20, 3, false);
        for (Path out : new Path[] {dir.resolve("x.webp"), dir.resolve("missing").resolve("dir").resolve("x.png")}) {
            CliTest.Run r = CliTest.run("compare", pa.toString(), pb.toString(), "-o", out.toString());
            assertEquals(ExitCode.IO_ERROR, r.code(), r.err());
            assertEquals(1, r.errLines().size(), r.err());
            assertTrue(r.err().contains(out.toString()), r.err());
            assertEquals("", r.out(), "scored before the output was checked");
        }
    }
}
