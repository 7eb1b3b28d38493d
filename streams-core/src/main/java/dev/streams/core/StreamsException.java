package dev.streams.core;

/** Thrown when the core refuses an operation; {@link #kind()} says why in a form a transport can map. */
public class StreamsException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorKind kind;

    /** A refusal of kind {@code kind}, with a message fit for the client. */
    public StreamsException(ErrorKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    /** What kind of refusal it is. */
    public ErrorKind kind() {
        return kind;
    }
}
