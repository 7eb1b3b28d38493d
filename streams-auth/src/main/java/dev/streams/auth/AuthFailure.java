package dev.streams.auth;

/**
 * Why a request was refused. {@link #isUnauthenticated()} tells transports whether to answer as "who are
 * you?" (HTTP 401, gRPC 16) or "you may not" (HTTP 403, gRPC 7).
 */
public enum AuthFailure {
    MISSING_CREDENTIAL(true),
    MALFORMED_CREDENTIAL(true),
    UNKNOWN_KEY(true),
    REVOKED_KEY(true),
    BAD_SIGNATURE(true),
    ALGORITHM_NOT_ALLOWED(true),
    EXPIRED(true),
    NOT_YET_VALID(true),
    WRONG_AUDIENCE(true),
    FORBIDDEN_PROJECT(false),
    FORBIDDEN_TOPIC(false),
    MISSING_SCOPE(false),
    /** A token was asked for with more rights (topics, scopes or lifetime) than its issuer has. */
    EXCEEDS_ISSUER(false);

    private final boolean unauthenticated;

    AuthFailure(boolean unauthenticated) {
        this.unauthenticated = unauthenticated;
    }

    public boolean isUnauthenticated() {
        return unauthenticated;
    }
}
