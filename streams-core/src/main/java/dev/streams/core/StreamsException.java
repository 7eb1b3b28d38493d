package dev.streams.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Thrown when the core refuses an operation; {@link #kind()} says why in a form a transport can map. */
public class StreamsException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorKind kind;

    /** A refusal of kind {@code kind}, with a message fit for the client. */
    public StreamsException(ErrorKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    /**
     * Waits for a future of the broker ({@link Broker#publishAsync}, say) and returns its value, or throws the
     * StreamsException that refused it; any other failure is thrown as UNAVAILABLE.
     */
    public static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof StreamsException refused ? refused
                    : new StreamsException(ErrorKind.UNAVAILABLE, "failed: " + e.getCause());
        }
    }

    /** What kind of refusal it is. */
    public ErrorKind kind() {
        return kind;
    }
}
