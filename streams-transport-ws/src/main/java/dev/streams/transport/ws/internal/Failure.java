package dev.streams.transport.ws.internal;

import com.google.gson.JsonParseException;
import dev.streams.auth.AuthException;
import dev.streams.auth.AuthFailure;
import dev.streams.core.ErrorKind;
import dev.streams.core.StreamsException;
import dev.streams.protocol.ErrorCode;
import java.util.concurrent.CompletionException;

/**
 * The transport's one failure table: every refusal a request or session can meet, each one of the protocol's
 * {@link ErrorCode}s, which holds everything a dialect needs to render it (the HTTP status it stands for, the
 * WebSocket close code when it ends a connection, 4000 + the status in every dialect, whether a client should
 * connect again, and after how long) and which the clients share. Auth failures, core
 * error kinds, HTTP statuses answered before a dialect has the request, and exceptions map here once
 * ({@link #of(Throwable)} and friends); each dialect only renders a failure in its own shape (m3o's error object,
 * Golioth's gRPC code, the native error id).
 */
public enum Failure {
    BAD_REQUEST(ErrorCode.BAD_REQUEST),
    INVALID_TOPIC(ErrorCode.INVALID_TOPIC),
    UNAUTHENTICATED(ErrorCode.UNAUTHENTICATED),
    EXPIRED(ErrorCode.EXPIRED),
    REVOKED(ErrorCode.REVOKED),
    FORBIDDEN(ErrorCode.FORBIDDEN),
    NOT_FOUND(ErrorCode.NOT_FOUND),
    TIMEOUT(ErrorCode.TIMEOUT),
    PAYLOAD_TOO_LARGE(ErrorCode.PAYLOAD_TOO_LARGE),
    TOO_MANY_SUBSCRIPTIONS(ErrorCode.TOO_MANY_SUBSCRIPTIONS),
    LIMIT_EXCEEDED(ErrorCode.LIMIT_EXCEEDED),
    SLOW_CONSUMER(ErrorCode.SLOW_CONSUMER),
    UNAVAILABLE(ErrorCode.UNAVAILABLE),
    DEADLINE_EXCEEDED(ErrorCode.DEADLINE_EXCEEDED),
    INTERNAL(ErrorCode.INTERNAL);

    private final ErrorCode code;

    Failure(ErrorCode code) {
        this.code = code;
    }

    /** The protocol's code: the native error id, and the data every dialect renders. */
    public ErrorCode code() {
        return code;
    }

    public int httpStatus() {
        return code.httpStatus();
    }

    /** The WebSocket close code when this failure ends a connection. */
    public int closeCode() {
        return code.closeCode();
    }

    /** Whether a client should connect again (with the same credential, except after EXPIRED: a fresh one). */
    public boolean reconnect() {
        return code.reconnect();
    }

    /** Seconds a client should wait before trying again, or 0 when the failure names no wait. */
    public int retryAfterSeconds() {
        return code.retryAfterSeconds();
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
