package dev.streams.auth;

import dev.streams.auth.internal.FileDeviceCredentialStore;
import dev.streams.auth.internal.InMemoryDeviceCredentialStore;
import java.nio.file.Path;
import java.util.List;

/**
 * Where device credentials are kept, beside the API keys. Stores hold {@link DeviceCredential} records, which carry
 * a hash and never a key. Implementations must be thread-safe; a change must be visible to the next lookup (a
 * revocation refuses the device's next request).
 */
public interface DeviceCredentialStore {
    /** Stores a credential, replacing the one with the same id. */
    void save(DeviceCredential credential);

    /** Every credential of one project, revoked ones included, oldest first. */
    List<DeviceCredential> list(String project);

    /** Keeps nothing across restarts. */
    static DeviceCredentialStore inMemory() {
        return new InMemoryDeviceCredentialStore();
    }

    /** Keeps credentials in a JSON file (owner-only, rewritten atomically, shared with other processes). */
    static DeviceCredentialStore file(Path path) {
        return new FileDeviceCredentialStore(path);
    }
}
