package io.shiftsr.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingLogTest {
    @TempDir
    Path dir;

    private List<String> lines() throws Exception {
        return Files.readAllLines(dir.resolve("log.csv"), StandardCharsets.UTF_8);
    }

    @Test
    void headerOnceAndRowsAppendedAcrossOpens() throws Exception {
        try (TrainingLog log = TrainingLog.open(dir)) {
            log.logStep(10, 1.5, 0.123456789, 2e-4, 31.25, 0.05);
            log.logValidation(10, 2.0, 27.123456, 0.81234567, 25.5, 0.75);
        }
        try (TrainingLog log = TrainingLog.open(dir)) {
            log.logStep(20, 3.0, 0.1, 2e-4, 30, 0.04);
        }
        List<String> lines = lines();
        assertEquals(4, lines.size(), lines.toString());
        assertEquals(TrainingLog.HEADER, lines.get(0));
        assertEquals("train,10,1.500,0.123457,0.000200000,31.2500,0.0500000,,,,", lines.get(1));
        assertEquals("val,10,2.000,,,,,27.1235,0.812346,25.5000,0.750000", lines.get(2));
        assertTrue(lines.get(3).startsWith("train,20,"));
        assertEquals(1, lines.stream().filter(l -> l.startsWith("kind,")).count());
    }

    @Test
    void rowsAreFlushedWhileOpen() throws Exception {
        try (TrainingLog log = TrainingLog.open(dir)) {
            log.logStep(1, 0.1, 1.0, 1e-3, 8, 0);
            assertEquals(2, lines().size()); // visible on disk before close: a killed run keeps it
        }
    }

    @Test
    void readsBackWithNaNForEmptyCells() {
        try (TrainingLog log = TrainingLog.open(dir)) {
            log.logStep(5, 1, 0.5, 1e-4, 10, 0.1);
            log.logValidation(5, 2, 30.25, 0.9, 28, 0.85);
            List<LogRow> rows = log.rows();
            assertEquals(2, rows.size());
            assertTrue(rows.get(0).isTrain());
            assertEquals(0.5, rows.get(0).loss(), 1e-9);
            assertTrue(Double.isNaN(rows.get(0).psnrY()));
            assertTrue(rows.get(1).isValidation());
            assertEquals(30.25, rows.get(1).psnrY(), 1e-9);
            assertTrue(Double.isNaN(rows.get(1).loss()));
        }
    }

    @Test
    void truncateAfterDropsLaterRowsAndAppendingContinues() throws Exception {
        try (TrainingLog log = TrainingLog.open(dir)) {
            for (int s = 100; s <= 500; s += 100) {
                log.logStep(s, s / 10.0, 1.0 / s, 1e-4, 10, 0.1);
                log.logValidation(s, s / 10.0, 25 + s / 100.0, 0.8, 24, 0.7);
            }
        }
        try (TrainingLog log = TrainingLog.open(dir)) { // resumed from the step-300 checkpoint
            log.truncateAfter(300);
            log.logStep(310, 31, 0.003, 1e-4, 10, 0.1);
        }
        List<LogRow> rows = TrainingLog.read(dir.resolve("log.csv"));
        long[] steps = rows.stream().mapToLong(LogRow::step).toArray();
        assertArrayEquals(new long[] {100, 100, 200, 200, 300, 300, 310}, steps);
        assertEquals(TrainingLog.HEADER, lines().get(0));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temp file left behind");
        }
    }

    @Test
    void lineCutByACrashIsSkippedAndEnded() throws Exception {
        try (TrainingLog log = TrainingLog.open(dir)) {
            log.logStep(1, 0.1, 1.0, 1e-3, 8, 0);
        }
        Files.writeString(dir.resolve("log.csv"), "train,2,0.2,0.9", java.nio.file.StandardOpenOption.APPEND);
        try (TrainingLog log = TrainingLog.open(dir)) {
            log.logStep(2, 0.2, 0.9, 1e-3, 8, 0);
            assertArrayEquals(new long[] {1, 2}, log.rows().stream().mapToLong(LogRow::step).toArray());
        }
        assertTrue(lines().get(3).startsWith("train,2,0.200,"));
    }

    private void assertPlot(TrainingLog log) throws Exception {
        Path png = dir.resolve("plot.png");
        log.writePlot(png);
        byte[] head = new byte[8];
        System.arraycopy(Files.readAllBytes(png), 0, head, 0, 8);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head);
        BufferedImage bi = ImageIO.read(png.toFile());
        assertNotNull(bi);
        assertEquals(1000, bi.getWidth());
        assertEquals(600, bi.getHeight());
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    void plotWithNoRowsAtAll() throws Exception {
        try (TrainingLog log = TrainingLog.open(dir)) {
            assertPlot(log);
        }
    }

    @Test
    void plotWithoutValidationRows() throws Exception {
        try (TrainingLog log = TrainingLog.open(dir)) {
            for (int s = 1; s <= 50; s++) {
                log.logStep(s, s, Math.exp(-s / 10.0), 1e-4, 10, 0.1);
            }
            assertPlot(log);
        }
    }

    @Test
    void plotWithASingleRowOfEachKind() throws Exception {
        try (TrainingLog log = TrainingLog.open(dir)) {
            log.logStep(1, 0.5, 0.25, 1e-4, 10, 0.1);
            assertPlot(log);
            log.logValidation(1, 1, 26, 0.8, 25, 0.75);
            assertPlot(log);
        }
    }

    @Test
    void plotWithOnlyOneValidationRow() throws Exception {
        try (TrainingLog log = TrainingLog.open(dir)) {
            log.logValidation(0, 1, 26, 0.8, 25, 0.75);
            assertPlot(log);
        }
    }

    @Test
    void plotWithManyRowsAndNonPositiveLoss() throws Exception {
        try (TrainingLog log = TrainingLog.open(dir)) {
            for (int s = 1; s <= 2000; s++) {
                log.logStep(s, s * 0.1, 0.5 * Math.exp(-s / 500.0) + 0.01 * Math.sin(s), 1e-4, 10, 0.1);
                if (s % 200 == 0) {
                    log.logValidation(s, s * 0.1, 25 + s / 1000.0, 0.8, 25.3, 0.78);
                }
            }
            assertPlot(log); // all positive: log axis
            log.logStep(2001, 200, -0.1, 1e-4, 10, 0.1);
            log.logStep(2002, 200, Double.NaN, 1e-4, 10, 0.1);
            assertPlot(log); // a negative loss falls back to a linear axis; NaN is skipped
        }
    }
}
