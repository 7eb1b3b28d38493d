package dev.streams.auth;

import dev.streams.auth.internal.KeySecrets;
import dev.streams.devices.DeviceTopics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Devices' pre-shared keys, for devices that speak to the server directly (CoAP over DTLS): created, listed and
 * revoked here ({@link StreamsAuth#devices()}), kept in a {@link DeviceCredentialStore} as hashes. A key is derived
 * from the master key and the credential's id, so the server finds it again at every handshake and nothing
 * stores it; whoever holds the master key can derive it. A device has at most one working key: creating another
 * revokes the one before (rotation). A device authenticates as a principal that may only ingest into its own
 * device stream.
 */
public final class DeviceCredentials {
    private final KeySecrets secrets;
    private final DeviceCredentialStore store;
    private final Clock clock;

    DeviceCredentials(KeySecrets secrets, DeviceCredentialStore store, Clock clock) {
        this.secrets = secrets;
        this.store = store;
        this.clock = clock;
    }

    /** Creates the device's key (revoking the one it had); the key is in the result and nowhere else. */
    public NewDeviceCredential create(String project, String deviceId) {
        DeviceTopics.requireDeviceId(deviceId);
        StreamsAuth.requireProject(project);
        revoke(project, deviceId);
        String id = KeySecrets.newId();
        String psk = secrets.devicePskOf(id);
        DeviceCredential credential = new DeviceCredential(id, project, deviceId, KeySecrets.hash(psk), clock.instant(), null);
        store.save(credential);
        return new NewDeviceCredential(credential, psk);
    }

    /**
     * The device's working key, derived again from the master key, for a host that provisions its own devices
     * (a gateway, the demo's simulated ones) across restarts without storing keys: empty when the device has
     * none.
     */
    public Optional<NewDeviceCredential> recover(String project, String deviceId) {
        return active(deviceId + "@" + project).map(c -> new NewDeviceCredential(c, secrets.devicePskOf(c.id())));
    }

    /** The credentials of one project, revoked ones included, oldest first. */
    public List<DeviceCredential> list(String project) {
        return store.list(project);
    }

    /** Revokes the device's working key at once; returns false when it had none. */
    public boolean revoke(String project, String deviceId) {
        boolean revoked = false;
        for (DeviceCredential credential : store.list(project)) {
            if (credential.deviceId().equals(deviceId) && !credential.isRevoked()) {
                store.save(credential.revoked(clock.instant()));
                revoked = true;
            }
        }
        return revoked;
    }

    /**
     * The pre-shared key for an identity ({@code <device-id>@<project-id>}) while its credential works, for the
     * DTLS handshake; empty for an unknown, malformed or revoked identity.
     */
    public Optional<byte[]> psk(String identity) {
        return active(identity).map(c -> secrets.devicePskOf(c.id()).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The principal of a device that proved it holds its key (the DTLS handshake did): it may only ingest into
     * its own device stream. Empty once the credential is revoked, so a session that outlives a revocation is
     * refused on its next request.
     */
    public Optional<Principal> authenticate(String identity) {
        return active(identity).map(c -> new Principal(Principal.Kind.DEVICE_PSK, c.id(), c.project(),
                Set.of(Scope.INGEST), List.of(DeviceTopics.topicOf(c.deviceId())), null, null));
    }

    private Optional<DeviceCredential> active(String identity) {
        int at = identity == null ? -1 : identity.lastIndexOf('@');
        if (at <= 0 || at == identity.length() - 1) {
            return Optional.empty();
        }
        String deviceId = identity.substring(0, at);
        String project = identity.substring(at + 1);
        return store.list(project).stream()
                .filter(c -> c.deviceId().equals(deviceId) && !c.isRevoked())
                .filter(c -> KeySecrets.matches(secrets.devicePskOf(c.id()), c.pskHash()))
                .max(Comparator.comparing(DeviceCredential::createdAt));
    }
}
