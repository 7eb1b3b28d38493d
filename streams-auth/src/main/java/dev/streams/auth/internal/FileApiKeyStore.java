package dev.streams.auth.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import dev.streams.auth.ApiKey;
import dev.streams.auth.Scope;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps keys in a JSON file. Every change rewrites the whole file to a temporary sibling and moves it into
 * place atomically, so a crash leaves either the old or the new file, never half of one. Holds hashes only.
 *
 * <p>Several processes may share the file: the server that serves with it, and a command line that revokes a
 * key while it runs. A change is read back within {@link #RECHECK_NANOS} of it (a lookup checks the file's
 * identity, size and modification time at most that often), so a revocation made elsewhere is seen by the next
 * lookup after it. Writers take an OS lock on a sibling {@code .lock} file and re-read the file under it, so
 * two processes never overwrite each other's changes.
 */
public final class FileApiKeyStore extends InMemoryApiKeyStore {
    /** How often lookups look at the file for changes made by another process. */
    static final long RECHECK_NANOS = 200_000_000L;
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private final Path path;
    private final Path lockPath;
    /** What the file looked like when last read: its key, size and modification time. */
    private volatile Object readVersion;
    private volatile long nextCheck;

    public FileApiKeyStore(Path path) {
        this.path = path.toAbsolutePath();
        this.lockPath = this.path.resolveSibling(this.path.getFileName() + ".lock");
        reload();
    }

    private record StoredKey(String id, String project, String name, List<String> scopes, String secretSha256,
                             String createdAt, String revokedAt) {
    }

    private record Version(Object fileKey, long size, long modified) {
    }

    @Override
    public Optional<ApiKey> find(String id) {
        refreshIfChanged();
        return super.find(id);
    }

    @Override
    public List<ApiKey> list(String project) {
        refreshIfChanged();
        return super.list(project);
    }

    @Override
    public synchronized void save(ApiKey key) {
        try {
            Files.createDirectories(path.getParent());
            try (FileChannel lockFile = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = lockFile.lock()) {
                reload();
                Map<String, ApiKey> next = new HashMap<>(keys);
                next.put(key.id(), key);
                writeAll(next);
                keys.put(key.id(), key);
                readVersion = versionOf();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write API key file " + path, e);
        }
    }

    private void refreshIfChanged() {
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

    private Version versionOf() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            return new Version(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime().toMillis());
        } catch (NoSuchFileException absent) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read API key file " + path, e);
        }
    }

    /** Reads the file into the map: keys it no longer holds go, changed ones are replaced. Holds the monitor. */
    private void reload() {
        Version version = versionOf();
        if (version == null) {
            keys.clear();
            readVersion = null;
            return;
        }
        Map<String, ApiKey> read = new HashMap<>();
        try {
            String json = Files.readString(path, StandardCharsets.UTF_8);
            List<StoredKey> stored = GSON.fromJson(json, new TypeToken<List<StoredKey>>() { }.getType());
            for (StoredKey s : stored == null ? List.<StoredKey>of() : stored) {
                Set<Scope> scopes = EnumSet.noneOf(Scope.class);
                s.scopes().forEach(name -> scopes.add(Scope.fromWireName(name)));
                read.put(s.id(), new ApiKey(s.id(), s.project(), s.name(), scopes,
                        Base64.getDecoder().decode(s.secretSha256()), Instant.parse(s.createdAt()),
                        s.revokedAt() == null ? null : Instant.parse(s.revokedAt())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read API key file " + path, e);
        } catch (JsonParseException | IllegalArgumentException | NullPointerException e) {
            throw new IllegalStateException("API key file " + path + " is corrupt", e);
        }
        keys.putAll(read);
        keys.keySet().retainAll(read.keySet());
        readVersion = version;
    }

    private void writeAll(Map<String, ApiKey> all) throws IOException {
        List<StoredKey> out = new ArrayList<>();
        for (ApiKey k : all.values()) {
            out.add(new StoredKey(k.id(), k.project(), k.name(), k.scopes().stream().map(Scope::wireName).sorted().toList(),
                    Base64.getEncoder().encodeToString(k.secretHash()), k.createdAt().toString(),
                    k.revokedAt() == null ? null : k.revokedAt().toString()));
        }
        out.sort((a, b) -> a.id().compareTo(b.id()));
        Path temp = Files.createTempFile(path.getParent(), path.getFileName().toString(), ".tmp");
        try {
            restrictToOwner(temp);
            Files.writeString(temp, GSON.toJson(out), StandardCharsets.UTF_8);
            try {
                Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Non-POSIX file systems keep their default permissions; the file holds hashes only.
        }
    }
}
