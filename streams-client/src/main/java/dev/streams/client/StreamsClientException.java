package dev.streams.client;

/**
 * A request that did not succeed: refused by the server ({@link #code()} is the native protocol's error code), or
 * not sent or not answered ({@link #NOT_CONNECTED}, {@link #CONNECTION_LOST}).
 */
public final class StreamsClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** The client's own code: a publish while the client was not connected (it was not sent). */
    public static final String NOT_CONNECTED = "NOT_CONNECTED";
    /**
     * The client's own code: the connection ended before the server acknowledged a publish (it may or may not
     * have been stored).
     */
    public static final String CONNECTION_LOST = "CONNECTION_LOST";
    private final String code;

    /** A refusal with the server's code and message. */
    public StreamsClientException(String code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    /** The server's error code (a native error id such as {@code FORBIDDEN}), or a client-side one. */
    public String code() {
        return code;
    }
}
