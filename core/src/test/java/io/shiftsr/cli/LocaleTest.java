package io.shiftsr.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.shiftsr.image.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Figures in tables, JSON and logs read the same whatever the user's locale (a German one writes 27,48). */
class LocaleTest {
    @TempDir
    Path dir;

    @Test
    void aReportUnderAGermanLocaleUsesDecimalPoints() throws Exception {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            Path sr = Files.createDirectories(dir.resolve("sr")), hr = Files.createDirectories(dir.resolve("hr"));
            io.shiftsr.image.ImageWriting.write(TestImages.noise(32, 24, 3, false, 1), sr.resolve("a.png"));
            io.shiftsr.image.ImageWriting.write(TestImages.noise(32, 24, 3, false, 2), hr.resolve("a.png"));
            Path json = dir.resolve("m.json");
            CliTest.Run r = CliTest.run("metrics", "--sr", sr.toString(), "--hr", hr.toString(), "--scale", "2",
                    "--json", json.toString(), "-q");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().matches("(?s).*mean psnr_y=\\d+\\.\\d{4} ssim_y=\\d\\.\\d{4} n=1.*"), r.out());
            assertFalse(r.out().matches("(?s).*\\d,\\d{4}.*"), "a decimal comma: " + r.out());
            CliTest.Run info = CliTest.run("info", "models/shiftsr.safetensors");
            assertEquals(0, info.code(), info.err());
            assertTrue(info.out().contains("sqrt(eta_T)=0.9900"), info.out());
        } finally {
            Locale.setDefault(before);
        }
    }
}
