package dev.streams.core.internal;

import dev.streams.core.StartPosition;
import dev.streams.core.SubscribeOptions;
import dev.streams.core.SubscriptionListener;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * A wildcard subscription. While it starts with a replay, each matching topic is "activated" exactly once,
 * under that topic's lock, by whichever comes first: the subscriber walking the existing topics, or a
 * publisher of the topic. Activation replays history up to and including the event being published, so
 * history and live events meet with no gap and no duplicate.
 */
final class PatternSubscription extends QueuedSubscription {
    final String[] tokens;
    private final StartPosition start;
    private final TopicJoin join;
    /** Topics already replayed while starting; guarded by this subscription's monitor. */
    private final Set<TopicState> activated = new HashSet<>();
    /** What the store had for a topic's replay, read before the subscription registered; guarded likewise. */
    private final Map<TopicState, TopicJoin.Prefetched> prefetched = new HashMap<>();
    private volatile boolean starting;

    PatternSubscription(ProjectState project, String pattern, SubscriptionListener listener,
                        SubscribeOptions options, Executor defaultExecutor, StartPosition start, TopicJoin join) {
        super(project, pattern, listener, options, defaultExecutor);
        this.tokens = pattern.split("\\.", -1);
        this.start = start;
        this.join = join;
        this.starting = start != StartPosition.latest();
    }

    boolean isStarting() {
        return starting;
    }

    void finishStarting() {
        synchronized (this) {
            starting = false;
            // Not needed once started; clearing it keeps a long-lived pattern subscription from holding every
            // topic it ever matched (evicted ones included). Under the monitor that activate() checks
            // "starting" and adds under, so no activation can slip in between and replay a topic twice.
            activated.clear();
            prefetched.clear();
        }
    }

    /** Keeps what the store had for {@code topic}'s replay, for its activation. */
    synchronized void prefetched(TopicState topic, TopicJoin.Prefetched read) {
        prefetched.put(topic, read);
    }

    @Override
    boolean activateFor(TopicState topic) {
        return starting && activate(topic);
    }

    /**
     * Called under {@code topic}'s lock. Returns true when this call replayed the topic's history, which
     * already holds the event being published, so the caller must not offer that event again.
     */
    boolean activate(TopicState topic) {
        TopicJoin.Prefetched read;
        synchronized (this) {
            if (!starting || !activated.add(topic)) {
                return false;
            }
            read = prefetched.remove(topic);
        }
        join.replayActivated(this, topic, start, read);
        return true;
    }
}
