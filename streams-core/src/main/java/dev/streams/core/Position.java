package dev.streams.core;

import dev.streams.protocol.Cursor;

/**
 * A point in one topic's history: the epoch of the history and the offset of the last event a consumer saw.
 * Resuming {@code after} a position continues with the next event, or reports a {@link Gap}.
 */
public record Position(long epoch, long offset) {
    /** Checks that the offset is not negative. */
    public Position {
        if (offset < 0) {
            throw new StreamsException(ErrorKind.INVALID_ARGUMENT, "offset must be >= 0: " + offset);
        }
    }

    /**
     * The position as the cursor text every wire format carries: {@code <epoch>-<offset>}, both decimal
     * ({@link Cursor}). {@link #fromCursor(String)} reads it back.
     */
    public String cursor() {
        return Cursor.append(new StringBuilder(24), epoch, offset).toString();
    }

    /** Appends {@code <epoch>-<offset>} for {@code epoch} and {@code offset}; the hot path of every encoder. */
    public static StringBuilder appendCursor(StringBuilder out, long epoch, long offset) {
        return Cursor.append(out, epoch, offset);
    }

    /**
     * Reads a cursor written by {@link #cursor()}. Throws {@link StreamsException} (INVALID_ARGUMENT) with a
     * message fit for a client when the text is not a cursor.
     */
    public static Position fromCursor(String cursor) {
        try {
            Cursor parsed = Cursor.parse(cursor);
            return new Position(parsed.epoch(), parsed.offset());
        } catch (IllegalArgumentException e) {
            throw new StreamsException(ErrorKind.INVALID_ARGUMENT, e.getMessage());
        }
    }
}
