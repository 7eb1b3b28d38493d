package dev.streams.core;

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
     * The position as the cursor text every wire format carries: {@code <epoch>-<offset>}, both decimal.
     * {@link #fromCursor(String)} reads it back.
     */
    public String cursor() {
        return epoch + "-" + offset;
    }

    /** Appends {@code <epoch>-<offset>} for {@code epoch} and {@code offset}; the hot path of every encoder. */
    public static StringBuilder appendCursor(StringBuilder out, long epoch, long offset) {
        return out.append(epoch).append('-').append(offset);
    }

    /**
     * Reads a cursor written by {@link #cursor()}. Throws {@link StreamsException} (INVALID_ARGUMENT) with a
     * message fit for a client when the text is not a cursor.
     */
    public static Position fromCursor(String cursor) {
        int dash = cursor == null ? -1 : cursor.indexOf('-');
        if (dash <= 0 || dash == cursor.length() - 1 || cursor.length() > 41) {
            throw new StreamsException(ErrorKind.INVALID_ARGUMENT, "a cursor is <epoch>-<offset>");
        }
        long epoch = decimal(cursor, 0, dash);
        long offset = decimal(cursor, dash + 1, cursor.length());
        return new Position(epoch, offset);
    }

    private static long decimal(String text, int from, int to) {
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9' || value > (Long.MAX_VALUE - (c - '0')) / 10) {
                throw new StreamsException(ErrorKind.INVALID_ARGUMENT, "a cursor is <epoch>-<offset>");
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
