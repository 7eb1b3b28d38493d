package dev.streams.auth.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import dev.streams.auth.ApiKey;
import dev.streams.auth.Scope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps keys in a JSON file. Every change rewrites the whole file to a temporary sibling and moves it into
 * place atomically, so a crash leaves either the old or the new file, never half of one. Holds hashes only.
 */
public final class FileApiKeyStore extends InMemoryApiKeyStore {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private final Path path;

    public FileApiKeyStore(Path path) {
        this.path = path.toAbsolutePath();
        load();
    }

    private record StoredKey(String id, String project, String name, List<String> scopes, String secretSha256,
                             String createdAt, String revokedAt) {
    }

    private void load() {
        if (!Files.exists(path)) {
            return;
        }
        try {
            String json = Files.readString(path, StandardCharsets.UTF_8);
            List<StoredKey> stored = GSON.fromJson(json, new TypeToken<List<StoredKey>>() { }.getType());
            for (StoredKey s : stored == null ? List.<StoredKey>of() : stored) {
                Set<Scope> scopes = EnumSet.noneOf(Scope.class);
                s.scopes().forEach(name -> scopes.add(Scope.fromWireName(name)));
                keys.put(s.id(), new ApiKey(s.id(), s.project(), s.name(), scopes,
                        Base64.getDecoder().decode(s.secretSha256()), Instant.parse(s.createdAt()),
                        s.revokedAt() == null ? null : Instant.parse(s.revokedAt())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read API key file " + path, e);
        } catch (JsonParseException | IllegalArgumentException | NullPointerException e) {
            throw new IllegalStateException("API key file " + path + " is corrupt", e);
        }
    }

    @Override
    public synchronized void save(ApiKey key) {
        ApiKey previous = keys.put(key.id(), key);
        try {
            writeAll();
        } catch (UncheckedIOException e) {
            if (previous == null) {
                keys.remove(key.id());
            } else {
                keys.put(key.id(), previous);
            }
            throw e;
        }
    }

    private void writeAll() {
        List<StoredKey> out = new ArrayList<>();
        for (ApiKey k : keys.values()) {
            out.add(new StoredKey(k.id(), k.project(), k.name(), k.scopes().stream().map(Scope::wireName).sorted().toList(),
                    Base64.getEncoder().encodeToString(k.secretHash()), k.createdAt().toString(),
                    k.revokedAt() == null ? null : k.revokedAt().toString()));
        }
        out.sort((a, b) -> a.id().compareTo(b.id()));
        try {
            Path dir = path.getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
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
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write API key file " + path, e);
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
