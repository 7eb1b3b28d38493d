package dev.streams.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds of an in-memory topic history: the oldest events go once any bound is passed.
 *
 * @param maxEvents events kept per topic (0 keeps no history: live delivery only)
 * @param maxBytes  bytes kept per topic (see {@link Event#sizeInBytes()})
 * @param maxAge    how long an event is kept
 */
public record HistoryLimits(int maxEvents, long maxBytes, Duration maxAge) {
    /** 1024 events, 4 MiB and one hour per topic. */
    public static final HistoryLimits DEFAULT = new HistoryLimits(1024, 4L * 1024 * 1024, Duration.ofHours(1));

    /** Checks that no bound is negative. */
    public HistoryLimits {
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxEvents < 0 || maxBytes < 0 || maxAge.isNegative()) {
            throw new IllegalArgumentException("history limits must not be negative");
        }
    }

    /** {@link #maxAge()} in nanoseconds, saturated at {@code Long.MAX_VALUE} for ages too long to count so. */
    public long maxAgeNanos() {
        try {
            return maxAge.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
