package dev.streams.core.internal;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A topic's subscriptions (exact and matching wildcard) as the fan-out needs them: those on event loops grouped
 * per loop, so that an event is posted once per loop, and the others, each offered the event itself. Built when
 * the topic's exact subscriptions or its wildcard matches change (both are copy-on-write arrays, so comparing
 * them by identity tells), never per event. Immutable.
 */
final class TopicDelivery {
    static final TopicDelivery EMPTY = new TopicDelivery(TopicState.NONE, TopicState.NONE, TopicState.NONE,
            new LoopInbox[0], new QueuedSubscription[0][]);

    /** What it was built from. */
    final QueuedSubscription[] exact;
    final QueuedSubscription[] wildcard;
    /** Subscriptions on other executors (the broker's pool, say), exact first. */
    final QueuedSubscription[] direct;
    final LoopInbox[] inboxes;
    /** {@code targets[i]}: the subscriptions on {@code inboxes[i]}'s loop. */
    final QueuedSubscription[][] targets;

    private TopicDelivery(QueuedSubscription[] exact, QueuedSubscription[] wildcard, QueuedSubscription[] direct,
                          LoopInbox[] inboxes, QueuedSubscription[][] targets) {
        this.exact = exact;
        this.wildcard = wildcard;
        this.direct = direct;
        this.inboxes = inboxes;
        this.targets = targets;
    }

    static TopicDelivery of(QueuedSubscription[] exact, QueuedSubscription[] wildcard) {
        if (exact.length == 0 && wildcard.length == 0) {
            return new TopicDelivery(exact, wildcard, TopicState.NONE, EMPTY.inboxes, EMPTY.targets);
        }
        List<QueuedSubscription> direct = new ArrayList<>();
        Map<LoopInbox, List<QueuedSubscription>> byLoop = new IdentityHashMap<>();
        for (QueuedSubscription[] group : new QueuedSubscription[][] {exact, wildcard}) {
            for (QueuedSubscription sub : group) {
                if (sub.inbox == null) {
                    direct.add(sub);
                } else {
                    byLoop.computeIfAbsent(sub.inbox, i -> new ArrayList<>()).add(sub);
                }
            }
        }
        LoopInbox[] inboxes = byLoop.keySet().toArray(new LoopInbox[0]);
        QueuedSubscription[][] targets = new QueuedSubscription[inboxes.length][];
        for (int i = 0; i < inboxes.length; i++) {
            targets[i] = byLoop.get(inboxes[i]).toArray(TopicState.NONE);
        }
        return new TopicDelivery(exact, wildcard, direct.toArray(TopicState.NONE), inboxes, targets);
    }

    /** Whether {@code subs} holds {@code sub} (a few at most: the subscriptions that just replayed a topic). */
    static boolean contains(QueuedSubscription[] subs, QueuedSubscription sub) {
        for (QueuedSubscription s : subs) {
            if (s == sub) {
                return true;
            }
        }
        return false;
    }
}
