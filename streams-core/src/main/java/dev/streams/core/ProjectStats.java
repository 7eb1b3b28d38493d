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
 */
public record ProjectStats(long published, long delivered, long dropped, long disconnectedSlow, int topics,
                           int subscriptions) {
}
