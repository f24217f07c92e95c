package io.shiftsr;

import io.shiftsr.image.Image;
import io.shiftsr.image.ImageException;
import io.shiftsr.image.ImageFormats;
import io.shiftsr.image.ImageReading;
import io.shiftsr.image.ImageWriting;
import io.shiftsr.image.InputFiles;
import io.shiftsr.inference.DiffusionUpscaler;
import io.shiftsr.io.StageClock;
import io.shiftsr.sr.DegradationLevel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.function.IntConsumer;

/**
 * The facade's encoded paths: an upscale from bytes, a file or an image to bytes, a file or a stream, with an
 * 8-bit PNG streamed from the model's rows a band of tiles at a time (bounded memory) and everything else
 * written whole. {@link ShiftSr} is the handle (the model, its settings, its call gate); this is what it does with
 * files and streams.
 */
final class Encoding {
    private Encoding() {
    }

    static byte[] toBytes(ShiftSr sr, byte[] encoded, double scale, String format, StageClock clock) {
        long t = StageClock.start();
        Image lr = ImageReading.read(encoded, "input", ImageReading.DEFAULT_MAX_PIXELS);
        if (clock != null) {
            clock.stop(StageClock.Stage.DECODE, t);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        toStream(sr, lr, scale, out, format, ImageWriting.DEFAULT_JPEG_QUALITY, null, clock);
        return out.toByteArray();
    }

    /** Returns what the model was told about the input (null: nothing). */
    static DegradationLevel.Reading toFile(ShiftSr sr, Path input, Path output, double scale, int jpegQuality,
            long maxPixels, boolean replace, IntConsumer onNetworkCall) {
        sr.requireScale(scale);
        Image lr = ImageReading.read(input, maxPixels);
        int[] size = outputSize(lr, scale, input + ": ");
        String format = ImageFormats.outputOf(InputFiles.extension(output));
        DegradationLevel.Reading told = sr.denoiseReading(lr);
        if (!streams(sr, lr, format)) {
            ImageWriting.write(sr.upscale(lr, scale, told, onNetworkCall), output, jpegQuality, replace);
        } else {
            ImageWriting.toFile(output, replace, out -> streamPng(sr, lr, scale, told, size, out, onNetworkCall, null));
        }
        return told;
    }

    /**
     * To a stream, not closed. With a clock (null: not timed) the streamed PNG's stages are timed where they run;
     * any other path is timed as the upscale (OTHER) and the encode.
     */
    static DegradationLevel.Reading toStream(ShiftSr sr, Image lr, double scale, OutputStream out, String format,
            int jpegQuality, IntConsumer onNetworkCall, StageClock clock) {
        sr.requireScale(scale);
        int[] size = outputSize(lr, scale, "");
        long t = StageClock.start();
        DegradationLevel.Reading told = sr.denoiseReading(lr); // the pixel scan: 2-150 ms, timed as OTHER
        if (clock != null) {
            t = clock.stop(StageClock.Stage.OTHER, t);
        }
        if (!streams(sr, lr, format)) {
            Image up = sr.upscale(lr, scale, told, onNetworkCall);
            if (clock != null) {
                t = clock.stop(StageClock.Stage.OTHER, t);
            }
            ImageWriting.write(up, out, format, jpegQuality);
            if (clock != null) {
                clock.stop(StageClock.Stage.ENCODE, t);
            }
            return told;
        }
        try {
            streamPng(sr, lr, scale, told, size, out, onNetworkCall, clock);
        } catch (IOException e) {
            throw new ImageException(ImageException.Kind.IO_ERROR, "cannot encode png (" + e.getMessage() + ")", e);
        }
        return told;
    }

    /** The output size, refused when its planes would not fit Java arrays ({@code where} starts the message). */
    private static int[] outputSize(Image lr, double scale, String where) {
        requireOutput(lr, scale, where);
        int[] size = ShiftSr.outputSize(lr.width(), lr.height(), scale);
        if ((long) size[0] * size[1] > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(where + "output " + size[0] + "x" + size[1] + " is too large");
        }
        return size;
    }

    /**
     * Refuses a scale that leaves less than one output pixel on a side: the shrinking kernel spans 4 / scale input
     * pixels, and at 1e-9 its size overflowed (NegativeArraySizeException).
     */
    static void requireOutput(Image lr, double scale, String where) {
        if (Math.min(lr.width(), lr.height()) * scale < 1) {
            throw new IllegalArgumentException(where + "scale " + scale + " makes less than 1 output pixel of a "
                    + lr.width() + "x" + lr.height() + " image");
        }
    }

    /** Row streaming covers the model's 8-bit PNG without alpha; alpha and 16 bits need the whole image. */
    private static boolean streams(ShiftSr sr, Image lr, String format) {
        return sr.steps() > 0 && !lr.hasAlpha() && lr.sourceBitDepth() == 8 && "png".equals(format);
    }

    /** The model's rows straight into the PNG encoder, a band of tiles at a time. */
    private static void streamPng(ShiftSr sr, Image lr, double scale, DegradationLevel.Reading told, int[] size,
            OutputStream out, IntConsumer onNetworkCall, StageClock clock) throws IOException {
        try (CallGate.Pass pass = sr.gate().enter()) {
            sr.requireOpen();
            long t = StageClock.start();
            DiffusionUpscaler.RowStream rows = sr.rows(lr, scale, told, onNetworkCall, clock);
            if (clock == null) {
                ImageWriting.writePngRows(out, size[0], size[1], rows.channels(), lr.metadata(), rows::row);
                return;
            }
            // Whatever the stages inside do not account for (row hand-over, the gray average) is OTHER.
            long before = clock.totalNanos();
            ImageWriting.writePngRows(out, size[0], size[1], rows.channels(), lr.metadata(), rows::row, clock);
            long spent = System.nanoTime() - t;
            clock.add(StageClock.Stage.OTHER, spent - (clock.totalNanos() - before));
        }
    }
}
