package dev.streams.history;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a project's events stay in the durable store: the oldest go once any bound is passed. Enforced by
 * a background task every retention interval; a client resuming from before what is kept gets an exact
 * {@code HISTORY_EXPIRED} gap.
 *
 * @param maxAge    events older than this (by server time) go
 * @param maxBytes  the project keeps at most this many payload bytes
 * @param maxEvents the project keeps at most this many events
 */
public record Retention(Duration maxAge, long maxBytes, long maxEvents) {
    /** 30 days, 1 GiB and 10 million events per project. */
    public static final Retention DEFAULT = new Retention(Duration.ofDays(30), 1L << 30, 10_000_000);

    /** Checks that every bound is positive. */
    public Retention {
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative() || maxAge.isZero() || maxBytes < 1 || maxEvents < 1) {
            throw new IllegalArgumentException("retention bounds must be positive");
        }
    }
}
