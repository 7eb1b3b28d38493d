package dev.streams.auth.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.reflect.TypeToken;
import dev.streams.auth.ApiKey;
import dev.streams.auth.Scope;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps keys in a JSON file shared with other processes ({@link SharedJsonFile}: atomic rewrites, changes made
 * elsewhere seen within 200 ms, writers serialized by a lock file). Holds hashes only.
 */
public final class FileApiKeyStore extends InMemoryApiKeyStore {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private final SharedJsonFile file;

    public FileApiKeyStore(Path path) {
        this.file = new SharedJsonFile(path, "API key file", this::read);
    }

    private record StoredKey(String id, String project, String name, List<String> scopes, String secretSha256,
                             String createdAt, String revokedAt) {
    }

    @Override
    public Optional<ApiKey> find(String id) {
        file.refreshIfChanged();
        return super.find(id);
    }

    @Override
    public List<ApiKey> list(String project) {
        file.refreshIfChanged();
        return super.list(project);
    }

    @Override
    public synchronized void save(ApiKey key) {
        Map<String, ApiKey> next = new HashMap<>();
        file.update(() -> {
            next.putAll(keys);
            next.put(key.id(), key);
            return write(next);
        });
        keys.put(key.id(), key);
    }

    /** Reads the file into the map: keys it no longer holds go, changed ones are replaced. */
    private void read(String json) {
        Map<String, ApiKey> read = new HashMap<>();
        List<StoredKey> stored = json == null ? null : GSON.fromJson(json, new TypeToken<List<StoredKey>>() { }.getType());
        for (StoredKey s : stored == null ? List.<StoredKey>of() : stored) {
            Set<Scope> scopes = EnumSet.noneOf(Scope.class);
            s.scopes().forEach(name -> scopes.add(Scope.fromWireName(name)));
            read.put(s.id(), new ApiKey(s.id(), s.project(), s.name(), scopes,
                    Base64.getDecoder().decode(s.secretSha256()), Instant.parse(s.createdAt()),
                    s.revokedAt() == null ? null : Instant.parse(s.revokedAt())));
        }
        keys.putAll(read);
        keys.keySet().retainAll(read.keySet());
    }

    private static String write(Map<String, ApiKey> all) {
        List<StoredKey> out = new ArrayList<>();
        for (ApiKey k : all.values()) {
            out.add(new StoredKey(k.id(), k.project(), k.name(), k.scopes().stream().map(Scope::wireName).sorted().toList(),
                    Base64.getEncoder().encodeToString(k.secretHash()), k.createdAt().toString(),
                    k.revokedAt() == null ? null : k.revokedAt().toString()));
        }
        out.sort((a, b) -> a.id().compareTo(b.id()));
        return GSON.toJson(out);
    }
}
