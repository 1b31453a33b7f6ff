package io.dynamicshare.store.file;

import io.dynamicshare.store.StoreConflictException;
import io.dynamicshare.store.FileStoreParameter;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The exclusive right to replace one store file, across threads (an in-process lock per file) and processes
 * (an OS lock on {@code <file>.lock} beside it, which is left in place: deleting a lock file races). Held for
 * the check-then-write of {@code store}, never while reading. Waits at most {@link #WAIT_SECONDS}.
 *
 * <pre>{@code
 * try (StoreFileLock lock = StoreFileLock.acquire(file)) {
 *     lock.requireTag(expectedTag);      // StoreConflictException if another writer got there first
 *     ...write and rename...
 * }
 * }</pre>
 */
final class StoreFileLock implements AutoCloseable {
    /** Longest wait for another writer of the same file, in seconds. */
    static final int WAIT_SECONDS = 30;
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path file;
    private final ReentrantLock local;
    private final FileChannel channel;
    private final FileLock osLock;

    private StoreFileLock(Path file, ReentrantLock local, FileChannel channel, FileLock osLock) {
        this.file = file;
        this.local = local;
        this.channel = channel;
        this.osLock = osLock;
    }

    static StoreFileLock acquire(Path file) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        Files.createDirectories(abs.getParent());
        ReentrantLock local = IN_PROCESS.computeIfAbsent(abs, p -> new ReentrantLock());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        try {
            if (!local.tryLock(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw timeout(abs);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to store " + abs, e);
        }
        FileChannel ch = null;
        try {
            Path lockFile = abs.resolveSibling(abs.getFileName() + ".lock");
            ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            while ((lock = ch.tryLock()) == null) {
                if (System.nanoTime() > deadline) {
                    throw timeout(abs);
                }
                Thread.sleep(20);
            }
            return new StoreFileLock(abs, local, ch, lock);
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            local.unlock();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting to store " + abs, e);
            }
            throw e instanceof IOException ? (IOException) e : new IOException("cannot lock " + abs + ": " + e, e);
        }
    }

    private static IOException timeout(Path file) {
        return new IOException("another writer has held " + file + " for more than " + WAIT_SECONDS + " s (lock file "
                + file.getFileName() + ".lock); try again");
    }

    /**
     * Refuses to go on unless the file is the one this store last loaded or wrote: its last 32 bytes (the file
     * MAC) equal {@code expectedTag}. A null {@code expectedTag} (a new store) expects no file at all.
     *
     * @throws StoreConflictException if another writer replaced (or created) the file meanwhile
     */
    void requireTag(byte[] expectedTag) throws IOException {
        byte[] current = tailTag(file);
        if (current == null && expectedTag == null) {
            return;
        }
        if (expectedTag == null) {
            throw new StoreConflictException("a store already exists at " + file + ": load it and apply the change "
                    + "again, or store with FileStoreParameter.overwrite() to replace it");
        }
        if (current == null || !MessageDigest.isEqual(current, expectedTag)) {
            throw new StoreConflictException("the store at " + file + " changed since this KeyStore loaded or stored "
                    + "it (another process or KeyStore stored it): load it again and apply the change again, or store "
                    + "with FileStoreParameter.overwrite() to replace it");
        }
    }

    /** The file's last 32 bytes, or null when there is no file (or it is too short to be a store). */
    static byte[] tailTag(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            if (f.length() < StoreFormat.TAG_LENGTH) {
                return new byte[0];
            }
            byte[] tag = new byte[StoreFormat.TAG_LENGTH];
            f.seek(f.length() - StoreFormat.TAG_LENGTH);
            f.readFully(tag);
            return tag;
        } catch (java.io.FileNotFoundException | NoSuchFileException e) {
            return Files.exists(file) ? rethrow(e) : null;
        }
    }

    private static byte[] rethrow(IOException e) throws IOException {
        throw e;
    }

    /** Deletes temporary files that crashed writes of this store left behind (only ever called under the lock). */
    void removeStaleTemps() {
        String prefix = "." + file.getFileName();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(file.getParent(), prefix + "*.tmp")) {
            for (Path p : dir) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // Best effort: a leftover temp file is harmless.
        }
    }

    @Override
    public void close() throws IOException {
        try {
            osLock.release();
            channel.close();
        } finally {
            local.unlock();
        }
    }
}
