package dev.streams.history;

/** The durable store cannot start: the database cannot be opened, created, read or written; says why. */
public final class HistoryStoreException extends RuntimeException {
    public HistoryStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
