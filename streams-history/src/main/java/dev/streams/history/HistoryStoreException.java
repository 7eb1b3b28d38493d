package dev.streams.history;

/** The durable store cannot start: the database cannot be opened, created, read or written; says why. */
public final class HistoryStoreException extends RuntimeException {
    /** Why the store cannot start, and the database's own error. */
    public HistoryStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
