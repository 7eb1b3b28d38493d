package dev.streams.auth.internal;

import dev.streams.auth.DeviceCredential;
import dev.streams.auth.DeviceCredentialStore;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** The default store: a concurrent map, lost on restart. */
public class InMemoryDeviceCredentialStore implements DeviceCredentialStore {
    protected final ConcurrentHashMap<String, DeviceCredential> credentials = new ConcurrentHashMap<>();

    @Override
    public void save(DeviceCredential credential) {
        credentials.put(credential.id(), credential);
    }

    @Override
    public List<DeviceCredential> list(String project) {
        return credentials.values().stream().filter(c -> c.project().equals(project))
                .sorted(Comparator.comparing(DeviceCredential::createdAt).thenComparing(DeviceCredential::id)).toList();
    }
}
