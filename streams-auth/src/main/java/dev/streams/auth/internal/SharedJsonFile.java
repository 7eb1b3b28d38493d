package dev.streams.auth.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A JSON file of records that several processes share: the server that serves with it, and a command line that
 * revokes a record while it runs. Every change rewrites the whole file to a temporary sibling, owner-only, and
 * moves it into place atomically, so a crash leaves either the old or the new file, never half of one.
 *
 * <p>A change made elsewhere is read back within {@link #RECHECK_NANOS} of it (a lookup checks the file's
 * identity, size and modification time at most that often), so a revocation made elsewhere is seen by the next
 * lookup after it. Writers take an OS lock on a sibling {@code .lock} file and re-read the file under it, so two
 * processes never overwrite each other's changes.
 */
public final class SharedJsonFile {
    /** How often lookups look at the file for changes made by another process. */
    static final long RECHECK_NANOS = 200_000_000L;

    private final Path path;
    private final Path lockPath;
    private final String what;
    /** Receives the file's text on every (re)read, or null when there is no file. */
    private final Consumer<String> reader;
    /** What the file looked like when last read: its key, size and modification time. */
    private volatile Object readVersion;
    private volatile long nextCheck;

    /** Reads the file now; {@code what} names it in errors ("API key file"). */
    public SharedJsonFile(Path path, String what, Consumer<String> reader) {
        this.path = path.toAbsolutePath();
        this.lockPath = this.path.resolveSibling(this.path.getFileName() + ".lock");
        this.what = what;
        this.reader = reader;
        reload();
    }

    private record Version(Object fileKey, long size, long modified) {
    }

    /** Re-reads the file when another process changed it (looked at no more than every 200 ms). */
    public void refreshIfChanged() {
        long now = System.nanoTime();
        if (now - nextCheck < 0) {
            return;
        }
        nextCheck = now + RECHECK_NANOS;
        if (!Objects.equals(versionOf(), readVersion)) {
            synchronized (this) {
                reload();
            }
        }
    }

    /**
     * Changes the file: under the lock, re-reads it (so the reader holds every other process's changes), then
     * writes what {@code next} returns, computed from that fresh state.
     */
    public synchronized void update(Supplier<String> next) {
        try {
            Files.createDirectories(path.getParent());
            try (FileChannel lockFile = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = lockFile.lock()) {
                reload();
                write(next.get());
                readVersion = versionOf();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + what + " " + path, e);
        }
    }

    private Version versionOf() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            return new Version(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime().toMillis());
        } catch (NoSuchFileException absent) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + what + " " + path, e);
        }
    }

    private synchronized void reload() {
        Version version = versionOf();
        String json = null;
        if (version != null) {
            try {
                json = Files.readString(path, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + what + " " + path, e);
            }
        }
        try {
            reader.accept(json);
        } catch (RuntimeException e) {
            throw new IllegalStateException(what + " " + path + " is corrupt", e);
        }
        readVersion = version;
    }

    private void write(String json) throws IOException {
        Path temp = Files.createTempFile(path.getParent(), path.getFileName().toString(), ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Non-POSIX file systems keep their default permissions; the file holds hashes only.
            }
            Files.writeString(temp, json, StandardCharsets.UTF_8);
            try {
                Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
