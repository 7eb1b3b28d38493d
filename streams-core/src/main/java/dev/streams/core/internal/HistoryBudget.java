package dev.streams.core.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes a project's topics retain in memory, against its limit ({@code ProjectLimits.maxHistoryBytes}).
 * Each topic reports its changes as deltas ({@link TopicState#settleBytes}) under its own lock; the total is
 * an atomic, so topics never wait on each other.
 */
final class HistoryBudget {
    private final AtomicLong bytes = new AtomicLong();
    private final long max;

    HistoryBudget(long max) {
        this.max = max;
    }

    /** Brings the total up to date with {@code state}'s history; under the topic's lock. */
    void settle(TopicState state) {
        bytes.addAndGet(state.settleBytes());
    }

    /**
     * Sheds the topic's own oldest events until {@code incoming} more bytes fit; false when even that is not
     * enough (other topics hold the budget). Under the topic's lock.
     */
    boolean makeRoom(TopicState state, long incoming) {
        settle(state);
        while (bytes.get() + incoming > max && state.history.dropOldest()) {
            settle(state);
        }
        return bytes.get() + incoming <= max;
    }

    long bytes() {
        return bytes.get();
    }
}
