package dev.streams.auth.internal;

import dev.streams.auth.ApiKey;
import dev.streams.auth.ApiKeyStore;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The default store: a concurrent map, lost on restart. */
public class InMemoryApiKeyStore implements ApiKeyStore {
    protected final ConcurrentHashMap<String, ApiKey> keys = new ConcurrentHashMap<>();

    @Override
    public void save(ApiKey key) {
        keys.put(key.id(), key);
    }

    @Override
    public Optional<ApiKey> find(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    @Override
    public List<ApiKey> list(String project) {
        return keys.values().stream().filter(k -> k.project().equals(project))
                .sorted(Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::id)).toList();
    }
}
