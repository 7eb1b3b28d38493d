package dev.streams.auth;

import dev.streams.auth.internal.FileApiKeyStore;
import dev.streams.auth.internal.InMemoryApiKeyStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where API keys are kept. Stores hold {@link ApiKey} records, which carry a hash and never a secret.
 * Implementations must be thread-safe; a change must be visible to the next lookup (revocation is immediate).
 */
public interface ApiKeyStore {
    /** Stores a key, replacing the one with the same id. */
    void save(ApiKey key);

    /** The key with this id, revoked or not. */
    Optional<ApiKey> find(String id);

    /** The keys of one project. */
    List<ApiKey> list(String project);

    /** Keeps nothing across restarts. */
    static ApiKeyStore inMemory() {
        return new InMemoryApiKeyStore();
    }

    /** Keeps keys in a JSON file, rewritten atomically on every change and read back on start. */
    static ApiKeyStore file(Path path) {
        return new FileApiKeyStore(path);
    }
}
