package dev.streams.core.internal;

import dev.streams.core.TopicHistory;
import java.util.Arrays;

/**
 * One topic of one project: its history, its exact-topic subscribers and a cache of the wildcard
 * subscriptions that match it. Every field is guarded by the instance's monitor, which also orders the
 * topic's publishes, so each subscriber sees the topic's events in offset order.
 */
final class TopicState {
    static final QueuedSubscription[] NONE = new QueuedSubscription[0];

    final String name;
    final String[] tokens;
    final TopicHistory history;
    QueuedSubscription[] exact = NONE;
    /** Set when the state was dropped from its project's map; whoever locks it must look the topic up again. */
    boolean removed;
    /** The history bytes this topic has added to its project's total, so changes are counted as deltas. */
    private long accountedBytes;
    private QueuedSubscription[] wildcard = NONE;
    private long wildcardVersion = -1;
    /** Volatile only for {@link #fanOutBehind}, which reads it without the monitor. */
    private volatile TopicDelivery delivery = TopicDelivery.EMPTY;
    /** The drop run this topic has open in each of {@link #openDropsOf}'s inboxes (see {@link LoopInbox}). */
    private LoopInbox.DropRun[] openDrops;
    private TopicDelivery openDropsOf;

    TopicState(String name, TopicHistory history) {
        this.name = name;
        this.tokens = name.split("\\.", -1);
        this.history = history;
    }

    /** The wildcard subscriptions matching this topic, recomputed only when the index changed. */
    QueuedSubscription[] wildcardMatches(PatternIndex index) {
        long version = index.version();
        if (version != wildcardVersion) {
            wildcard = index.match(tokens);
            wildcardVersion = version;
        }
        return wildcard;
    }

    /** Every subscription of this topic grouped for the fan-out, rebuilt only when one joined or left. */
    TopicDelivery delivery(PatternIndex index) {
        QueuedSubscription[] matches = wildcardMatches(index);
        if (delivery.exact != exact || delivery.wildcard != matches) {
            delivery = TopicDelivery.of(exact, matches);
        }
        return delivery;
    }

    /**
     * Whether an event loop this topic's subscribers run on is far behind its publishers ({@link LoopInbox#behind}),
     * as of the topic's last publish. Any thread, no lock: a hint for pacing publishers.
     */
    boolean fanOutBehind() {
        for (LoopInbox inbox : delivery.inboxes) {
            if (inbox.behind()) {
                return true;
            }
        }
        return false;
    }

    /** This topic's open drop runs, one slot per inbox of {@code current}; fresh when the grouping changed. */
    LoopInbox.DropRun[] openDropRuns(TopicDelivery current) {
        if (openDropsOf != current) {
            openDrops = new LoopInbox.DropRun[current.inboxes.length];
            openDropsOf = current;
        }
        return openDrops;
    }

    /** Brings the project's history-byte total up to date with this topic's history; returns the delta. */
    long settleBytes() {
        long now = history.retainedBytes();
        long delta = now - accountedBytes;
        accountedBytes = now;
        return delta;
    }

    /** Whether the topic can be forgotten: nobody subscribes to it exactly and its history holds no memory. */
    boolean isIdle() {
        return exact.length == 0 && !history.holdsMemory();
    }

    void addExact(QueuedSubscription sub) {
        QueuedSubscription[] grown = Arrays.copyOf(exact, exact.length + 1);
        grown[exact.length] = sub;
        exact = grown;
    }

    void removeExact(QueuedSubscription sub) {
        for (int i = 0; i < exact.length; i++) {
            if (exact[i] == sub) {
                QueuedSubscription[] shrunk = new QueuedSubscription[exact.length - 1];
                System.arraycopy(exact, 0, shrunk, 0, i);
                System.arraycopy(exact, i + 1, shrunk, i, exact.length - i - 1);
                exact = shrunk;
                // The grouping is rebuilt at the next publish; meanwhile it must not keep the one that left alive.
                delivery = TopicDelivery.EMPTY;
                return;
            }
        }
    }
}
