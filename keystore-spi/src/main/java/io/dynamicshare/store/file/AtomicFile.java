package io.dynamicshare.store.file;

import io.dynamicshare.store.StoreIntegrityException;
import io.dynamicshare.store.StoreConflictException;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;

/** Replaces a file so that readers see either the old content or the new, never a mix. */
final class AtomicFile {
    /** Writes the new content. */
    interface Writer {
        void write(OutputStream out) throws IOException, GeneralSecurityException;
    }

    private AtomicFile() {
    }

    /**
     * @throws IOException naming {@code target} (a full disk or a file-size limit reports neither path nor store)
     */
    static void replace(Path target, Writer writer) throws IOException, GeneralSecurityException {
        try {
            write(target, writer);
        } catch (StoreIntegrityException | StoreConflictException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("cannot write the store " + target + ": " + e, e);
        }
    }

    private static void write(Path target, Writer writer) throws IOException, GeneralSecurityException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // Same directory, so the rename stays on one file system; POSIX createTempFile makes it owner-only.
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
                BufferedOutputStream buffered = new BufferedOutputStream(out, 1 << 16);
                writer.write(buffered);
                buffered.flush();
                out.getFD().sync();
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Makes the rename itself durable where the platform allows opening a directory. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Not supported on every platform (Windows); the rename is still atomic there.
        }
    }
}
