package dev.streams.core;

import dev.streams.core.internal.RingHistory;

/**
 * Creates the {@link TopicHistory} of each topic. Implement it to keep history in a durable store; the
 * default keeps a bounded ring per topic in memory.
 */
@FunctionalInterface
public interface HistoryStore {
    /**
     * Opens (or creates) the history of a topic. Called once per topic while the broker holds it; a durable
     * store returns the stored epoch and offsets so that clients resume across restarts.
     */
    TopicHistory open(String project, String topic);

    /** A store that keeps each topic's most recent events in memory, within {@code limits}. */
    static HistoryStore inMemory(HistoryLimits limits) {
        return (project, topic) -> new RingHistory(limits);
    }
}
