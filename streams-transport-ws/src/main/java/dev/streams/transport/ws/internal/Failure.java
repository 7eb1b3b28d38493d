package dev.streams.transport.ws.internal;

import dev.streams.auth.AuthFailure;
import dev.streams.core.ErrorKind;

/**
 * The transport's one failure model: every refusal a session can meet, with the HTTP status it stands for.
 * Auth failures and core error kinds map here once; each dialect only renders a failure in its own shape
 * (m3o's error object, Golioth's gRPC code, the native error id). When a failure ends a WebSocket, the close
 * code is 4000 + the HTTP status in every dialect.
 */
public enum Failure {
    BAD_REQUEST(400),
    INVALID_TOPIC(400),
    UNAUTHENTICATED(401),
    EXPIRED(401),
    /** The API key the credential stands on was revoked while the session was open. */
    REVOKED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    /** The client did not send what it had to in time (m3o's first frame). */
    TIMEOUT(408),
    PAYLOAD_TOO_LARGE(413),
    TOO_MANY_SUBSCRIPTIONS(429),
    LIMIT_EXCEEDED(429),
    SLOW_CONSUMER(429),
    UNAVAILABLE(503),
    /** The server stopped the request at its deadline (a history query too expensive to finish in time). */
    DEADLINE_EXCEEDED(504),
    INTERNAL(500);

    private final int httpStatus;

    Failure(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The WebSocket close code when this failure ends a connection. */
    public int closeCode() {
        return 4000 + httpStatus;
    }

    public static Failure of(AuthFailure failure) {
        if (failure == AuthFailure.EXPIRED) {
            return EXPIRED;
        }
        return failure.isUnauthenticated() ? UNAUTHENTICATED : FORBIDDEN;
    }

    public static Failure of(ErrorKind kind) {
        return switch (kind) {
            case INVALID_TOPIC -> INVALID_TOPIC;
            case PAYLOAD_TOO_LARGE -> PAYLOAD_TOO_LARGE;
            case INVALID_PROJECT, INVALID_ARGUMENT -> BAD_REQUEST;
            case FORBIDDEN -> FORBIDDEN;
            case UNAUTHENTICATED -> UNAUTHENTICATED;
            case EXPIRED -> EXPIRED;
            case SLOW_CONSUMER -> SLOW_CONSUMER;
            case LIMIT_EXCEEDED -> LIMIT_EXCEEDED;
            case DEADLINE_EXCEEDED -> DEADLINE_EXCEEDED;
            case UNAVAILABLE, CLOSED -> UNAVAILABLE;
        };
    }
}
