package io.shiftsr.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Writes a file so that readers never see a half-written one: the content goes to a temporary file in the
 * same folder (same file system, so the rename is atomic), is forced to disk, then replaces the target and
 * the folder entry is synced. On any failure the temporary file is deleted and the target is left as it was:
 * a kill -9 or a power cut leaves either the old file or the new one, whole. Every output, model file and
 * checkpoint of ShiftSR goes through here.
 */
public final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Temp files being written now: a SIGTERM or SIGINT removes them (the JVM runs no finally blocks then). */
    private static final java.util.Set<Path> IN_FLIGHT = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Characters of the target's name kept in the temp name: a 250-byte name plus a suffix would pass 255. */
    private static final int NAME_PREFIX = 32;

    /** Set by the shutdown hook: no new temp file may start once the hook has swept (other threads run on). */
    private static boolean closing;

    /** Work that must still write at exit (training's last checkpoint): the sweep waits for these first. */
    private static final java.util.List<java.util.concurrent.CountDownLatch> FINISHING =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (var latch : FINISHING) {
                try {
                    latch.await(120, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            synchronized (IN_FLIGHT) {
                closing = true;
                for (Path p : IN_FLIGHT) {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException ignored) {
                        // best effort at exit
                    }
                }
            }
        }, "shiftsr-temp-cleanup"));
    }

    private AtomicFiles() {
    }

    /**
     * Lets a shutdown hook of the caller write its last files (the trainer's checkpoint on SIGINT/SIGTERM):
     * the exit sweep of temp files waits until {@code done} counts down (at most two minutes).
     */
    public static void finishBeforeExitSweep(java.util.concurrent.CountDownLatch done) {
        FINISHING.add(done);
    }

    /** Drops a latch given to {@link #finishBeforeExitSweep} once its work is over. */
    public static void finished(java.util.concurrent.CountDownLatch done) {
        FINISHING.remove(done);
    }

    /** ".name-prefix.1a2b3c4d.tmp": hidden, recognisable, and short whatever the target's name. */
    static String tempName(String target) {
        String prefix = target.length() > NAME_PREFIX ? target.substring(0, NAME_PREFIX) : target;
        return "." + prefix + "." + Integer.toHexString(RANDOM.nextInt()) + ".tmp";
    }

    /** Produces the file content. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    public static void write(Path target, Content content) throws IOException {
        write(target, true, content);
    }

    /**
     * As {@link #write(Path, Content)}; with {@code replace} off an existing target is never replaced, even one
     * that appeared while the content was written (another run): the new file is then dropped and
     * FileAlreadyExistsException thrown. The last step is a hard link of the temp file to the target's name,
     * which fails when the name exists, then the temp name is removed.
     */
    public static void write(Path target, boolean replace, Content content) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        // Not Files.createTempFile: that makes the file owner-only (0600); CREATE_NEW keeps the user's umask.
        Path tmp = dir.resolve(tempName(abs.getFileName().toString()));
        boolean moved = false;
        FileChannel opened;
        synchronized (IN_FLIGHT) { // registered and created together, so the exit sweep sees every temp file
            if (closing) {
                throw new IOException("shutting down: " + target + " not written");
            }
            IN_FLIGHT.add(tmp);
            try {
                opened = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (IOException | RuntimeException e) {
                IN_FLIGHT.remove(tmp);
                throw e;
            }
        }
        try {
            try (FileChannel ch = opened) {
                OutputStream out = Channels.newOutputStream(ch);
                content.writeTo(out);
                out.flush();
                ch.force(true); // the data is durable before the rename makes it visible
            }
            if (!replace) {
                placeNew(tmp, abs);
            } else {
                try {
                    Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    // Some file systems (certain network mounts) lack atomic rename; a plain replace is the best left.
                    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            moved = true;
            syncDirectory(dir);
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
            IN_FLIGHT.remove(tmp);
        }
    }

    /**
     * Gives the finished temp file the target's name only if no file has it: link(2) fails on an existing name
     * (a rename would replace it). Where hard links are not supported, a move without REPLACE_EXISTING, which
     * checks the name just before renaming, is the fallback.
     */
    private static void placeNew(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | FileSystemException e) {
            Files.move(tmp, target);
            return;
        }
        Files.deleteIfExists(tmp);
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // the file is already complete and in place
        }
    }
}
