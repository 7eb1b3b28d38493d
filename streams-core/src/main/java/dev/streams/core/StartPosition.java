package dev.streams.core;

import java.time.Instant;
import java.util.Map;

/**
 * Where a new subscription starts. Events from history are delivered first, then live events, with no gap
 * and no duplicate between the two.
 */
public sealed interface StartPosition {

    /** Only events published after the subscription starts. */
    static StartPosition latest() {
        return Latest.INSTANCE;
    }

    /** For a single topic: continue after {@code position}; a gap is reported if history cannot cover it. */
    static StartPosition after(Position position) {
        return new Resume(Map.of(), position, Latest.INSTANCE);
    }

    /**
     * For a pattern: resume each topic in {@code positions} after its position; every other matching topic
     * starts from {@code others} (for example {@code since} the time of the last event seen).
     */
    static StartPosition resume(Map<String, Position> positions, StartPosition others) {
        if (others instanceof Resume) {
            throw new StreamsException(ErrorKind.INVALID_ARGUMENT, "fallback of a resume must not be a resume");
        }
        return new Resume(Map.copyOf(positions), null, others);
    }

    /** Every retained event with a timestamp at or after {@code time}, in each matching topic. */
    static StartPosition since(Instant time) {
        return new Since(time);
    }

    /** The last {@code count} retained events of each matching topic. */
    static StartPosition last(int count) {
        if (count < 0) {
            throw new StreamsException(ErrorKind.INVALID_ARGUMENT, "count must be >= 0: " + count);
        }
        return new Last(count);
    }

    /** See {@link #latest()}. */
    enum Latest implements StartPosition {
        INSTANCE
    }

    /** See {@link #since(Instant)}. */
    record Since(Instant time) implements StartPosition {
    }

    /** See {@link #last(int)}. */
    record Last(int count) implements StartPosition {
    }

    /**
     * See {@link #after(Position)} and {@link #resume(Map, StartPosition)}. {@code any} applies to whatever
     * topic the subscription names when it is an exact topic and that topic is not in {@code positions}.
     */
    record Resume(Map<String, Position> positions, Position any, StartPosition others) implements StartPosition {
        /** The position for a topic, or null when the topic starts from {@link #others()}. */
        public Position positionOf(String topic) {
            Position p = positions.get(topic);
            return p != null ? p : any;
        }
    }
}
