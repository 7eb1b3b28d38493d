package dev.streams.core.internal;

import dev.streams.core.Event;
import dev.streams.core.Gap;

/**
 * Hands what happened to a topic to its subscriptions: the exact ones the topic holds and the wildcard ones of
 * the project's pattern index that match it. Called under the topic's monitor (lock order: topic, then the
 * pattern index, then a subscription), once the event is in the topic's history, for local publishes and
 * cluster deliveries alike.
 */
final class TopicFanout {
    private final PatternIndex patterns;
    private final HistoryBudget budget;
    private final ProjectCounters counters;

    TopicFanout(PatternIndex patterns, HistoryBudget budget, ProjectCounters counters) {
        this.patterns = patterns;
        this.budget = budget;
        this.counters = counters;
    }

    /** The event was appended: every matching subscription gets it. */
    void deliver(TopicState state, Event event) {
        budget.settle(state);
        counters.published.increment();
        for (QueuedSubscription sub : state.exact) {
            sub.offer(event);
        }
        for (QueuedSubscription sub : state.wildcardMatches(patterns)) {
            if (!sub.activateFor(state)) {
                sub.offer(event);
            }
        }
    }

    /** Events of the topic were lost: every subscription past its replay is told. */
    void gap(TopicState state, Gap gap) {
        for (QueuedSubscription sub : state.exact) {
            sub.gap(gap);
        }
        for (QueuedSubscription sub : state.wildcardMatches(patterns)) {
            sub.activateFor(state);
            sub.gap(gap);
        }
    }
}
