package dev.streams.auth;

import dev.streams.core.ErrorKind;

/** Why a Streams token was refused. */
public enum TokenError {
    /** Not a compact JWS, not HS256, bad JSON, or a required claim is missing or of the wrong type. */
    MALFORMED(ErrorKind.UNAUTHENTICATED),
    /** The signature does not match: the token was altered or signed with another secret. */
    BAD_SIGNATURE(ErrorKind.UNAUTHENTICATED),
    /** The {@code kid} names no key this issuer can verify with. */
    UNKNOWN_KEY(ErrorKind.UNAUTHENTICATED),
    /** {@code exp} has passed (beyond the clock leeway). */
    EXPIRED(ErrorKind.EXPIRED),
    /** {@code nbf} or {@code iat} lies in the future (beyond the clock leeway). */
    NOT_YET_VALID(ErrorKind.UNAUTHENTICATED),
    /** The token is valid but for another project. */
    FORBIDDEN_PROJECT(ErrorKind.FORBIDDEN),
    /** The token is valid but does not cover the topic or pattern asked for. */
    FORBIDDEN_TOPIC(ErrorKind.FORBIDDEN);

    private final ErrorKind kind;

    TokenError(ErrorKind kind) {
        this.kind = kind;
    }

    /** The core error kind this token error is reported as. */
    public ErrorKind kind() {
        return kind;
    }
}
