package dev.streams.core.internal;

import dev.streams.core.Event;
import dev.streams.core.Gap;
import dev.streams.core.TimedEventLoop;

/**
 * Hands what happened to a topic to its subscriptions: the exact ones the topic holds and the wildcard ones of
 * the project's pattern index that match it, grouped per event loop ({@link TopicDelivery}, {@link LoopInbox}).
 * Called under the topic's monitor (lock order: topic, then the pattern index, then a subscription), once the
 * event is in the topic's history, for local publishes and cluster deliveries alike: the monitor orders each
 * loop's posts of one topic as it orders the topic's events.
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

    /**
     * The event was appended: every matching subscription gets it. A starting pattern subscription may
     * replay the topic now instead (its history holds the event); the others on event loops get it through
     * one post per loop, the rest one by one.
     */
    void deliver(TopicState state, Event event) {
        budget.settle(state);
        counters.published.increment();
        TopicDelivery delivery = state.delivery(patterns);
        QueuedSubscription[] replayed = null;
        for (QueuedSubscription sub : delivery.wildcard) {
            if (sub.activateFor(state)) {
                replayed = append(replayed, sub);
            }
        }
        for (QueuedSubscription sub : delivery.direct) {
            if (replayed == null || !TopicDelivery.contains(replayed, sub)) {
                sub.offer(event);
            }
        }
        LoopInbox.DropRun[] open = state.openDropRuns(delivery);
        // One event in SAMPLE_EVERY of the topic carries when its fan-out began, for loops that time theirs.
        long sampledAt = (event.offset() & (TimedEventLoop.SAMPLE_EVERY - 1)) == 0 && delivery.inboxes.length > 0
                ? System.nanoTime() : LoopInbox.NOT_SAMPLED;
        for (int i = 0; i < delivery.inboxes.length; i++) {
            open[i] = delivery.inboxes[i].post(event, delivery.targets[i], replayed, open[i], sampledAt);
        }
    }

    /** Events of the topic were lost: every subscription past its replay is told. */
    void gap(TopicState state, Gap gap) {
        TopicDelivery delivery = state.delivery(patterns);
        for (QueuedSubscription sub : delivery.wildcard) {
            sub.activateFor(state);
        }
        for (QueuedSubscription sub : delivery.direct) {
            sub.gap(gap);
        }
        for (int i = 0; i < delivery.inboxes.length; i++) {
            delivery.inboxes[i].post(gap, delivery.targets[i]);
        }
    }

    private static QueuedSubscription[] append(QueuedSubscription[] subs, QueuedSubscription sub) {
        if (subs == null) {
            return new QueuedSubscription[] {sub};
        }
        QueuedSubscription[] grown = java.util.Arrays.copyOf(subs, subs.length + 1);
        grown[subs.length] = sub;
        return grown;
    }
}
