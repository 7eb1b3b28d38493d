package dev.streams.core;

/**
 * A point in one topic's history: the epoch of the history and the offset of the last event a consumer saw.
 * Resuming {@code after} a position continues with the next event, or reports a {@link Gap}.
 */
public record Position(long epoch, long offset) {
    public Position {
        if (offset < 0) {
            throw new StreamsException(ErrorKind.INVALID_ARGUMENT, "offset must be >= 0: " + offset);
        }
    }
}
