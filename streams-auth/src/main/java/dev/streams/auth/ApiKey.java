package dev.streams.auth;

import java.time.Instant;
import java.util.Set;

/**
 * An API key as stored: everything but the secret, which only its creator ever sees.
 *
 * @param id         public identifier; also the {@code iss} of JWTs signed with the key
 * @param project    the one project the key acts on
 * @param name       a label for people
 * @param scopes     what the key may do
 * @param secretHash SHA-256 of the secret, compared in constant time
 * @param createdAt  when it was created
 * @param revokedAt  when it was revoked, or null while it works
 */
public record ApiKey(String id, String project, String name, Set<Scope> scopes, byte[] secretHash, Instant createdAt,
                     Instant revokedAt) {
    /** Checks the fields and copies the hash. */
    public ApiKey {
        scopes = Set.copyOf(scopes);
        secretHash = secretHash.clone();
    }

    /** The SHA-256 of the key's secret (a copy); the secret itself is never stored. */
    @Override
    public byte[] secretHash() {
        return secretHash.clone();
    }

    /** Whether the key was revoked (it then authenticates nothing). */
    public boolean isRevoked() {
        return revokedAt != null;
    }

    /** This key, revoked at {@code at}. */
    public ApiKey revoked(Instant at) {
        return new ApiKey(id, project, name, scopes, secretHash, createdAt, at);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiKey k && k.id.equals(id) && k.project.equals(project) && k.name.equals(name)
                && k.scopes.equals(scopes) && java.util.Arrays.equals(k.secretHash, secretHash)
                && k.createdAt.equals(createdAt) && java.util.Objects.equals(k.revokedAt, revokedAt);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "ApiKey[" + id + ", project=" + project + ", name=" + name + ", scopes=" + scopes
                + (revokedAt != null ? ", revoked" : "") + ']';
    }
}
