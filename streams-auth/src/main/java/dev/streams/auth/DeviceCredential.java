package dev.streams.auth;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A device's pre-shared key as stored: everything but the key, which is derived from the master key when a device
 * connects and is shown only to whoever creates it. The device presents the identity
 * {@code <device-id>@<project-id>} (as Golioth's devices do) and may write only its own device stream.
 *
 * @param id        public identifier of this credential (a device given a new key gets a new id)
 * @param project   the project the device belongs to
 * @param deviceId  the device
 * @param pskHash   SHA-256 of the key, compared in constant time
 * @param createdAt when it was created
 * @param revokedAt when it was revoked, or null while it works
 */
public record DeviceCredential(String id, String project, String deviceId, byte[] pskHash, Instant createdAt,
                               Instant revokedAt) {
    /** Checks the fields and copies the hash. */
    public DeviceCredential {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(deviceId, "deviceId");
        pskHash = pskHash.clone();
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** The identity the device presents: {@code <device-id>@<project-id>}. */
    public String identity() {
        return deviceId + "@" + project;
    }

    /** The SHA-256 of the key (a copy). */
    @Override
    public byte[] pskHash() {
        return pskHash.clone();
    }

    /** Whether it was revoked (the device then connects with it no more). */
    public boolean isRevoked() {
        return revokedAt != null;
    }

    /** This credential, revoked at {@code at}. */
    public DeviceCredential revoked(Instant at) {
        return new DeviceCredential(id, project, deviceId, pskHash, createdAt, at);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceCredential c && c.id.equals(id) && c.project.equals(project)
                && c.deviceId.equals(deviceId) && Arrays.equals(c.pskHash, pskHash) && c.createdAt.equals(createdAt)
                && Objects.equals(c.revokedAt, revokedAt);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "DeviceCredential[" + identity() + ", id=" + id + (revokedAt != null ? ", revoked" : "") + ']';
    }
}
