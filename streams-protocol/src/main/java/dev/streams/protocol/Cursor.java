package dev.streams.protocol;

/**
 * The cursor text every wire format carries for a position in a topic's history: {@code <epoch>-<offset>},
 * both decimal and not negative. A client resumes by sending back the cursor of the last event it saw.
 *
 * @param epoch  the epoch of the topic's history
 * @param offset the offset of the event within it
 */
public record Cursor(long epoch, long offset) {
    private static final String FORM = "a cursor is <epoch>-<offset>";

    /** Checks that both parts are not negative. */
    public Cursor {
        if (epoch < 0 || offset < 0) {
            throw new IllegalArgumentException(FORM + ", both not negative");
        }
    }

    /** Appends {@code <epoch>-<offset>}; the hot path of every encoder, so nothing is allocated. */
    public static StringBuilder append(StringBuilder out, long epoch, long offset) {
        return out.append(epoch).append('-').append(offset);
    }

    /** Reads cursor text; throws IllegalArgumentException with a message fit for a client when it is none. */
    public static Cursor parse(String text) {
        int dash = text == null ? -1 : text.indexOf('-');
        if (dash <= 0 || dash == text.length() - 1 || text.length() > 41) {
            throw new IllegalArgumentException(FORM);
        }
        return new Cursor(decimal(text, 0, dash), decimal(text, dash + 1, text.length()));
    }

    private static long decimal(String text, int from, int to) {
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9' || value > (Long.MAX_VALUE - (c - '0')) / 10) {
                throw new IllegalArgumentException(FORM);
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** The cursor text, {@code <epoch>-<offset>}. */
    @Override
    public String toString() {
        return epoch + "-" + offset;
    }
}
