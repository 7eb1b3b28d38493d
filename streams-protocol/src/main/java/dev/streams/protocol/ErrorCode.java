package dev.streams.protocol;

/**
 * Every error a Streams server reports and a client may meet, as one table: the native protocol's error
 * {@code code}, the HTTP status it stands for, the WebSocket close code when it ends a connection (4000 + the
 * status), whether a client should connect again, and after how long. The server renders these in each of its
 * dialects; the last three are raised by clients themselves and never sent.
 */
public enum ErrorCode {
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
    INTERNAL(500, true, 1),
    /** Client side: a request made while not connected; it was not sent. */
    NOT_CONNECTED(0, true, 0),
    /** Client side: the connection ended before the server answered; the request may or may not have taken effect. */
    CONNECTION_LOST(0, true, 0),
    /** Client side: a code this client does not know (a newer server's). */
    UNKNOWN(0, false, 0);

    private final int httpStatus;
    private final boolean reconnect;
    private final int retryAfterSeconds;

    ErrorCode(int httpStatus, boolean reconnect, int retryAfterSeconds) {
        this.httpStatus = httpStatus;
        this.reconnect = reconnect;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The code a server sent, by its name; {@link #UNKNOWN} for one this client does not know. */
    public static ErrorCode of(String name) {
        if (name != null) {
            for (ErrorCode code : values()) {
                if (code.name().equals(name) && code.sentByServer()) {
                    return code;
                }
            }
        }
        return UNKNOWN;
    }

    /** Whether servers send it (else a client raises it itself). */
    public boolean sentByServer() {
        return httpStatus != 0;
    }

    /** The HTTP status it stands for; 0 for the client's own codes. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The WebSocket close code when it ends a connection: 4000 + the HTTP status. */
    public int closeCode() {
        return 4000 + httpStatus;
    }

    /** Whether a client should connect again (with the same credential, except after EXPIRED: a fresh one). */
    public boolean reconnect() {
        return reconnect;
    }

    /** Seconds a client should wait before trying again, or 0 for no particular wait. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
