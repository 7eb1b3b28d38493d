package dev.streams.core;

/**
 * A snapshot of one project's counters (totals since the broker started) and gauges (current values).
 *
 * @param published        events accepted by publish
 * @param delivered        events handed to listeners
 * @param dropped          events dropped by {@link OverflowPolicy#DROP_OLDEST}
 * @param disconnectedSlow subscriptions ended with {@link CloseReason#SLOW_CONSUMER}
 * @param topics           topics that hold history now
 * @param subscriptions    active subscriptions now
 * @param historyBytes     bytes of history held now
 * @param limitRejections  publishes and subscriptions refused by the project's {@link ProjectLimits}
 * @param topicsEvicted    idle topics whose history had expired, dropped from memory
 * @param repeatedPublishes publishes that repeated an idempotency key within its window, answered with the first
 *                          publish and not stored again (see {@link Idempotency})
 */
public record ProjectStats(long published, long delivered, long dropped, long disconnectedSlow, int topics,
                           int subscriptions, long historyBytes, long limitRejections, long topicsEvicted,
                           long repeatedPublishes) {
    /** The stats of a project never seen. */
    public static final ProjectStats EMPTY = new ProjectStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
