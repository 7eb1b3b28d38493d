package dev.streams.client;

/** The server refused a request; {@link #code()} is the native protocol's error code. */
public final class StreamsClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;

    public StreamsClientException(String code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
