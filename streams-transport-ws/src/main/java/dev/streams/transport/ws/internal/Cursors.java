package dev.streams.transport.ws.internal;

import dev.streams.core.Position;

/** The resume cursor every dialect puts on its frames: {@code <epoch>-<offset>}, both decimal. */
public final class Cursors {
    private Cursors() {
    }

    public static String format(long epoch, long offset) {
        return epoch + "-" + offset;
    }

    /** Parses a cursor; throws IllegalArgumentException when it is not one. */
    public static Position parse(String cursor) {
        int dash = cursor == null ? -1 : cursor.indexOf('-');
        if (dash <= 0 || dash == cursor.length() - 1) {
            throw new IllegalArgumentException("a cursor is <epoch>-<offset>");
        }
        try {
            long epoch = Long.parseLong(cursor.substring(0, dash));
            long offset = Long.parseLong(cursor.substring(dash + 1));
            if (epoch < 0 || offset < 0) {
                throw new IllegalArgumentException("a cursor has no negative parts");
            }
            return new Position(epoch, offset);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a cursor is <epoch>-<offset>");
        }
    }
}
