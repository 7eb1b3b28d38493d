package dev.streams.transport.ws.internal;

import com.google.gson.JsonParseException;
import dev.streams.auth.AuthException;
import dev.streams.auth.AuthFailure;
import dev.streams.core.ErrorKind;
import dev.streams.core.StreamsException;
import java.util.concurrent.CompletionException;

/**
 * The transport's one failure table: every refusal a request or session can meet, with everything a dialect
 * needs to render it: the HTTP status it stands for, the WebSocket close code when it ends a connection (4000 +
 * the status, in every dialect), whether a client should connect again, and after how long. Auth failures, core
 * error kinds, HTTP statuses answered before a dialect has the request, and exceptions map here once
 * ({@link #of(Throwable)} and friends); each dialect only renders a failure in its own shape (m3o's error object,
 * Golioth's gRPC code, the native error id).
 */
public enum Failure {
    BAD_REQUEST(400, false, 0),
    INVALID_TOPIC(400, false, 0),
    /** No valid credential: connecting again needs another one. */
    UNAUTHENTICATED(401, false, 0),
    /** The credential expired: connecting again with a fresh one works. */
    EXPIRED(401, true, 0),
    /** The API key the credential stands on was revoked while the session was open. */
    REVOKED(401, false, 0),
    FORBIDDEN(403, false, 0),
    NOT_FOUND(404, false, 0),
    /** The client did not send what it had to in time (m3o's first frame, an HTTP request). */
    TIMEOUT(408, true, 0),
    PAYLOAD_TOO_LARGE(413, false, 0),
    TOO_MANY_SUBSCRIPTIONS(429, false, 0),
    LIMIT_EXCEEDED(429, true, 1),
    /** The client did not read fast enough; it may reconnect and resume from its last cursor. */
    SLOW_CONSUMER(429, true, 0),
    UNAVAILABLE(503, true, 1),
    /** The server stopped the request at its deadline (a history query too expensive to finish in time). */
    DEADLINE_EXCEEDED(504, true, 0),
    /** The server failed; a client reconnects and resumes. */
    INTERNAL(500, true, 1);

    private final int httpStatus;
    private final boolean reconnect;
    private final int retryAfterSeconds;

    Failure(int httpStatus, boolean reconnect, int retryAfterSeconds) {
        this.httpStatus = httpStatus;
        this.reconnect = reconnect;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The WebSocket close code when this failure ends a connection. */
    public int closeCode() {
        return 4000 + httpStatus;
    }

    /** Whether a client should connect again (with the same credential, except after EXPIRED: a fresh one). */
    public boolean reconnect() {
        return reconnect;
    }

    /** Seconds a client should wait before trying again, or 0 when the failure names no wait. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
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

    /**
     * The one mapping of an exception met while answering a client: a refused credential, a refusal of the core,
     * a request the server cannot read (malformed JSON, a bad argument), else the server's own failure. A
     * {@link CompletionException} is read through.
     */
    public static Failure of(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof AuthException auth) {
            return of(auth.failure());
        }
        if (e instanceof StreamsException streams) {
            return of(streams.kind());
        }
        if (e instanceof BadInput || e instanceof JsonParseException || e instanceof IllegalArgumentException) {
            return BAD_REQUEST;
        }
        return INTERNAL;
    }

    /** The message a client may see for {@code error}: its own for refusals, none of the server's internals. */
    public static String messageOf(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return of(e) == INTERNAL ? "the server failed; try again" : String.valueOf(e.getMessage());
    }

    /** The failure an HTTP status stands for, for answers given before a dialect has the request. */
    public static Failure ofHttpStatus(int status) {
        return switch (status) {
            case 400, 405, 505 -> BAD_REQUEST;
            case 401 -> UNAUTHENTICATED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 408 -> TIMEOUT;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 429 -> LIMIT_EXCEEDED;
            case 503 -> UNAVAILABLE;
            case 504 -> DEADLINE_EXCEEDED;
            default -> INTERNAL;
        };
    }
}
