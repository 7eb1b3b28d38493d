package dev.streams.client;

/** The server refused a request; {@link #code()} is the native protocol's error code. */
public final class StreamsClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;
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
