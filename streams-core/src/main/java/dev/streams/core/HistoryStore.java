package dev.streams.core;

import dev.streams.core.internal.RingHistory;

/**
 * Creates the {@link TopicHistory} of each topic. Implement it to keep history in a durable store; the
 * default keeps a bounded ring per topic in memory.
 */
@FunctionalInterface
public interface HistoryStore {
    /**
     * Opens (or creates) the history of a topic. Called when the broker takes the topic up; a durable
     * store returns the stored epoch and offsets so that clients resume across restarts. It may block (a
     * database read): the broker calls it holding no lock, so two threads taking up a new topic at once may both
     * call it, and one copy is dropped unused. Opening must therefore write nothing (a new topic's epoch is
     * stored with its first event).
     */
    TopicHistory open(String project, String topic);

    /**
     * Whether reading this store's history may block on I/O (a database), so that callers on I/O threads run
     * replaying subscriptions elsewhere. False for the in-memory store.
     */
    default boolean readsBlock() {
        return false;
    }

    /**
     * Whether several cluster nodes write to this one store (a shared database): each event is then written
     * by the node that accepted its publish only. False by default: every node stores what it applies.
     */
    default boolean sharedByNodes() {
        return false;
    }

    /**
     * Answers a history query in the store. A store that cannot (the in-memory one) refuses with UNAVAILABLE.
     */
    default HistoryQuery.Result query(HistoryQuery query) {
        throw new StreamsException(ErrorKind.UNAVAILABLE, "history queries need a durable history store");
    }

    /**
     * Events stored since {@code sinceNanos} (server time) that carry an {@link Idempotency#KEY}, oldest first,
     * each with at least its project, topic, position, time and attributes (the payload may be empty): read once
     * at start, so that a publish retried across a restart is stored once. Empty by default (a store that keeps
     * nothing across restarts).
     */
    default java.util.List<Event> idempotencyReceipts(long sinceNanos) {
        return java.util.List.of();
    }

    /**
     * How the store is doing, for {@code /healthz} and {@code /metrics}: healthy or not, why, and its gauges
     * and counters (name to value). An in-memory store is always healthy and has none.
     */
    default Status status() {
        return Status.OK;
    }

    /**
     * A store's health.
     *
     * @param healthy whether it stores what it is given now
     * @param detail  why not (the last error), or "ok"
     * @param metrics gauges and counters by metric name (for example {@code streams_history_queue_depth})
     */
    record Status(boolean healthy, String detail, java.util.Map<String, Number> metrics) {
        /** Healthy, with nothing to report. */
        public static final Status OK = new Status(true, "ok", java.util.Map.of());
    }

    /** A store that keeps each topic's most recent events in memory, within {@code limits}. */
    static HistoryStore inMemory(HistoryLimits limits) {
        return (project, topic) -> new RingHistory(limits);
    }
}
