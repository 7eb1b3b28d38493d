package dev.streams.client;

import dev.streams.protocol.ErrorCode;

/**
 * A request that did not succeed: refused by the server ({@link #code()} is the protocol's error code), or not
 * sent or not answered ({@link ErrorCode#NOT_CONNECTED}, {@link ErrorCode#CONNECTION_LOST}).
 */
public final class StreamsClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    /** A refusal with its code and message. */
    public StreamsClientException(ErrorCode code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    /**
     * The error: the server's (such as {@link ErrorCode#FORBIDDEN}; {@link ErrorCode#UNKNOWN} for one this client
     * does not know, named in the message) or the client's own.
     */
    public ErrorCode code() {
        return code;
    }
}
