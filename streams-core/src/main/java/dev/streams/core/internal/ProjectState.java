package dev.streams.core.internal;

import dev.streams.core.CloseReason;
import dev.streams.core.Event;
import dev.streams.core.HistoryStore;
import dev.streams.core.Position;
import dev.streams.core.ProjectStats;
import dev.streams.core.StartPosition;
import dev.streams.core.SubscribeOptions;
import dev.streams.core.Subscription;
import dev.streams.core.SubscriptionListener;
import dev.streams.core.Topics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Everything of one project: its topics, its wildcard index and its counters. Nothing here ever refers to
 * another project, which is what keeps tenants apart.
 */
public final class ProjectState {
    private final String name;
    private final HistoryStore store;
    private final LongSupplier clockNanos;
    private final Executor defaultExecutor;
    private final Replayer replayer;
    private final ConcurrentHashMap<String, TopicState> topics = new ConcurrentHashMap<>();
    private final PatternIndex patterns = new PatternIndex();
    private final Set<QueuedSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    final LongAdder published = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder slowDisconnects = new LongAdder();

    public ProjectState(String name, HistoryStore store, LongSupplier clockNanos, Executor defaultExecutor) {
        this.name = name;
        this.store = store;
        this.clockNanos = clockNanos;
        this.defaultExecutor = defaultExecutor;
        this.replayer = new Replayer(clockNanos);
    }

    public String name() {
        return name;
    }

    /** Stamps, stores and fans out one event; called with a valid topic. */
    public Event publish(String topic, String contentType, byte[] payload, Map<String, String> attributes) {
        long now = clockNanos.getAsLong();
        while (true) {
            TopicState state = topics.computeIfAbsent(topic, t -> new TopicState(t, store.open(name, t)));
            synchronized (state) {
                if (state.removed) {
                    continue;
                }
                var history = state.history;
                long timestamp = Math.max(now, history.lastTimestampNanos() + 1);
                Event event = new Event(name, topic, history.epoch(), history.lastOffset() + 1, timestamp,
                        payload, contentType, attributes);
                history.expire(timestamp);
                history.append(event);
                published.increment();
                for (QueuedSubscription sub : state.exact) {
                    sub.offer(event);
                }
                for (QueuedSubscription sub : state.wildcardMatches(patterns)) {
                    if (!(sub instanceof PatternSubscription p && p.isStarting() && p.activate(state))) {
                        sub.offer(event);
                    }
                }
                return event;
            }
        }
    }

    /** Registers a subscription and queues its replay; called with a valid pattern. */
    public Subscription subscribe(String pattern, StartPosition start, SubscribeOptions options,
                                  SubscriptionListener listener) {
        if (!Topics.hasWildcard(pattern)) {
            return subscribeExact(pattern, start, options, listener);
        }
        PatternSubscription sub = new PatternSubscription(this, pattern, listener, options, defaultExecutor,
                start, replayer);
        subscriptions.add(sub);
        patterns.add(sub.tokens, sub);
        if (sub.isStarting()) {
            for (TopicState state : topics.values()) {
                if (Topics.matches(pattern, state.name)) {
                    synchronized (state) {
                        if (!state.removed) {
                            sub.activate(state);
                        }
                    }
                }
            }
            sub.finishStarting();
        }
        return sub;
    }

    private Subscription subscribeExact(String topic, StartPosition start, SubscribeOptions options,
                                        SubscriptionListener listener) {
        QueuedSubscription sub = new QueuedSubscription(this, topic, listener, options, defaultExecutor);
        subscriptions.add(sub);
        while (true) {
            TopicState state = topics.computeIfAbsent(topic, t -> new TopicState(t, store.open(name, t)));
            synchronized (state) {
                if (state.removed) {
                    continue;
                }
                state.addExact(sub);
                replayer.replay(sub, state, start);
                return sub;
            }
        }
    }

    /** Forgets a subscription that ended; lock order allows calling it under a topic's lock. */
    void unregister(QueuedSubscription sub) {
        if (!subscriptions.remove(sub)) {
            return;
        }
        if (sub instanceof PatternSubscription p) {
            patterns.remove(p.tokens, p);
            return;
        }
        TopicState state = topics.get(sub.pattern());
        if (state == null) {
            return;
        }
        synchronized (state) {
            state.removeExact(sub);
            if (state.exact.length == 0 && state.history.lastOffset() == 0 && !state.removed) {
                state.removed = true;
                topics.remove(state.name, state);
            }
        }
    }

    /** The position of the newest event of a topic, if it has one. */
    public Optional<Position> latestPosition(String topic) {
        TopicState state = topics.get(topic);
        if (state == null) {
            return Optional.empty();
        }
        synchronized (state) {
            long last = state.history.lastOffset();
            return last == 0 ? Optional.empty() : Optional.of(new Position(state.history.epoch(), last));
        }
    }

    public ProjectStats stats() {
        int topicCount = 0;
        for (TopicState state : topics.values()) {
            synchronized (state) {
                if (state.history.lastOffset() > 0) {
                    topicCount++;
                }
            }
        }
        return new ProjectStats(published.sum(), delivered.sum(), dropped.sum(), slowDisconnects.sum(),
                topicCount, subscriptions.size());
    }

    /** Ends every subscription, letting each deliver what it had queued first; returns those it ended. */
    public List<QueuedSubscription> closeAll() {
        List<QueuedSubscription> closed = List.of(subscriptions.toArray(TopicState.NONE));
        for (QueuedSubscription sub : closed) {
            sub.terminate(CloseReason.BROKER_CLOSED, true);
        }
        return closed;
    }
}
