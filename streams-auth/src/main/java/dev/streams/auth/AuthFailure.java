package dev.streams.auth;

/**
 * Why a request was refused. {@link #isUnauthenticated()} tells transports whether to answer as "who are
 * you?" (HTTP 401, gRPC 16) or "you may not" (HTTP 403, gRPC 7).
 */
public enum AuthFailure {
    /** No credential was presented. */
    MISSING_CREDENTIAL(true),
    /** A credential that is not one (a broken key or token). */
    MALFORMED_CREDENTIAL(true),
    /** A key (or a key JWT's issuer) this server does not know. */
    UNKNOWN_KEY(true),
    /** A key that was revoked. */
    REVOKED_KEY(true),
    /** A token whose signature does not verify. */
    BAD_SIGNATURE(true),
    /** A token signed with an algorithm the server does not accept for its kind. */
    ALGORITHM_NOT_ALLOWED(true),
    /** A token past its expiry. */
    EXPIRED(true),
    /** A token used before its not-before time. */
    NOT_YET_VALID(true),
    /** A token for another audience or issuer. */
    WRONG_AUDIENCE(true),
    /** A credential of another project. */
    FORBIDDEN_PROJECT(false),
    /** A credential that does not cover the topic or pattern. */
    FORBIDDEN_TOPIC(false),
    /** A credential without the scope the action needs (publish, subscribe, ingest, issue). */
    MISSING_SCOPE(false),
    /** A token was asked for with more rights (topics, scopes or lifetime) than its issuer has. */
    EXCEEDS_ISSUER(false);

    private final boolean unauthenticated;

    AuthFailure(boolean unauthenticated) {
        this.unauthenticated = unauthenticated;
    }

    /** Whether it means "who are you?" (401, gRPC 16) rather than "you may not" (403, gRPC 7). */
    public boolean isUnauthenticated() {
        return unauthenticated;
    }
}
