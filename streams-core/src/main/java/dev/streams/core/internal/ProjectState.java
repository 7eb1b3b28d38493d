package dev.streams.core.internal;

import dev.streams.core.CloseReason;
import dev.streams.core.ErrorKind;
import dev.streams.core.Event;
import dev.streams.core.HistoryStore;
import dev.streams.core.Position;
import dev.streams.core.ProjectLimits;
import dev.streams.core.ProjectStats;
import dev.streams.core.StartPosition;
import dev.streams.core.StreamsException;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Everything of one project: its topics, its wildcard index, its limits and its counters. Nothing here ever
 * refers to another project, which is what keeps tenants apart.
 *
 * <p>Concurrency: the topic map is concurrent; each {@link TopicState} is guarded by its own monitor, which
 * orders the topic's publishes. Lock order: a topic's lock, then the pattern index's, then a subscription's.
 * Idle topics are evicted under their lock by marking them {@code removed}, so a publisher or subscriber that
 * raced with the eviction looks the topic up again rather than using a forgotten state.
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
    private final ProjectLimits limits;
    private final PublishRate rate;
    private final AtomicLong historyBytes = new AtomicLong();
    /** When the topic limit last made publish sweep inline, so a project at its limit does not sweep per publish. */
    private volatile long lastInlineSweepNanos;
    final LongAdder limitRejections = new LongAdder();
    final LongAdder topicsEvicted = new LongAdder();
    final LongAdder published = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder slowDisconnects = new LongAdder();

    public ProjectState(String name, HistoryStore store, LongSupplier clockNanos, Executor defaultExecutor,
                        ProjectLimits limits) {
        this.name = name;
        this.limits = limits;
        this.rate = limits.maxPublishRate() == 0 ? null : new PublishRate(limits.maxPublishRate());
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
        if (rate != null && !rate.tryAcquire()) {
            throw refused("publish rate", limits.maxPublishRate() + " events/s");
        }
        long now = clockNanos.getAsLong();
        while (true) {
            TopicState state = topicState(topic);
            synchronized (state) {
                if (state.removed) {
                    continue;
                }
                var history = state.history;
                long timestamp = Math.max(now, history.lastTimestampNanos() + 1);
                Event event = new Event(name, topic, history.epoch(), history.lastOffset() + 1, timestamp,
                        payload, contentType, attributes);
                history.expire(timestamp);
                makeRoom(state, event.sizeInBytes());
                history.append(event);
                historyBytes.addAndGet(state.settleBytes());
                published.increment();
                for (QueuedSubscription sub : state.exact) {
                    sub.offer(event);
                }
                for (QueuedSubscription sub : state.wildcardMatches(patterns)) {
                    if (!sub.activateFor(state)) {
                        sub.offer(event);
                    }
                }
                return event;
            }
        }
    }

    /**
     * Keeps the project within its history budget: sheds the topic's own oldest events until the new event
     * fits, and refuses the publish when even that is not enough (other topics hold the budget). Under the
     * topic's lock.
     */
    private void makeRoom(TopicState state, long incoming) {
        historyBytes.addAndGet(state.settleBytes());
        if (historyBytes.get() + incoming <= limits.maxHistoryBytes()) {
            return;
        }
        while (historyBytes.get() + incoming > limits.maxHistoryBytes() && state.history.dropOldest()) {
            historyBytes.addAndGet(state.settleBytes());
        }
        if (historyBytes.get() + incoming > limits.maxHistoryBytes()) {
            throw refused("history", limits.maxHistoryBytes() + " bytes");
        }
    }

    /** The topic's state, created within the topic limit; sweeps once inline before refusing. */
    private TopicState topicState(String topic) {
        TopicState state = topics.get(topic);
        if (state != null) {
            return state;
        }
        if (topics.size() >= limits.maxTopics()) {
            long now = System.nanoTime();
            if (now - lastInlineSweepNanos > 1_000_000_000L) {
                lastInlineSweepNanos = now;
                sweep();
            }
            if (topics.size() >= limits.maxTopics() && !topics.containsKey(topic)) {
                throw refused("topics", Integer.toString(limits.maxTopics()));
            }
        }
        return topics.computeIfAbsent(topic, t -> new TopicState(t, store.open(name, t)));
    }

    private static boolean isTopic(String name) {
        try {
            Topics.requireTopic(name);
            return true;
        } catch (StreamsException notATopic) {
            return false;
        }
    }

    private StreamsException refused(String what, String limit) {
        limitRejections.increment();
        return new StreamsException(ErrorKind.LIMIT_EXCEEDED,
                "project " + name + " has reached its " + what + " limit of " + limit);
    }

    /**
     * Expires history by age in every topic and forgets the topics that are idle: no exact subscriber and no
     * retained event. A forgotten topic starts a new epoch when next used, so a client resuming from one of
     * its cursors gets an explicit EPOCH_CHANGED gap; nothing it had not received is lost silently.
     */
    public void sweep() {
        long now = clockNanos.getAsLong();
        for (TopicState state : topics.values()) {
            synchronized (state) {
                if (state.removed) {
                    continue;
                }
                state.history.expire(now);
                historyBytes.addAndGet(state.settleBytes());
                if (state.isIdle()) {
                    state.removed = true;
                    topics.remove(state.name, state);
                    topicsEvicted.increment();
                }
            }
        }
    }

    /** Registers a subscription and queues its replay; called with a valid pattern. */
    public Subscription subscribe(String pattern, StartPosition start, SubscribeOptions options,
                                  SubscriptionListener listener) {
        if (subscriptions.size() >= limits.maxSubscriptions()) {
            throw refused("subscriptions", Integer.toString(limits.maxSubscriptions()));
        }
        if (!Topics.hasWildcard(pattern)) {
            return subscribeExact(pattern, start, options, listener);
        }
        PatternSubscription sub = new PatternSubscription(this, pattern, listener, options, defaultExecutor,
                start, replayer);
        subscriptions.add(sub);
        patterns.add(sub.tokens, sub);
        if (sub.isStarting()) {
            if (start instanceof StartPosition.Resume resume) {
                // A topic the client resumes may have no state in this process (nobody used it since a
                // restart or an eviction): create it, so the replay reports the epoch change as a gap.
                for (String topic : resume.positions().keySet()) {
                    if (isTopic(topic) && Topics.matches(pattern, topic)) {
                        topicState(topic);
                    }
                }
            }
            for (TopicState state : topics.values()) {
                if (Topics.matches(pattern, state.name)) {
                    synchronized (state) {
                        if (!state.removed) {
                            sub.activate(state);
                            historyBytes.addAndGet(state.settleBytes());
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
        try {
            while (true) {
                TopicState state = topicState(topic);
                synchronized (state) {
                    if (state.removed) {
                        continue;
                    }
                    state.addExact(sub);
                    replayer.replay(sub, state, start);
                    historyBytes.addAndGet(state.settleBytes());
                    return sub;
                }
            }
        } catch (RuntimeException e) {
            subscriptions.remove(sub);
            throw e;
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
            if (state.history.lastOffset() == 0 && state.isIdle() && !state.removed) {
                state.removed = true;
                topics.remove(state.name, state);
            }
        }
    }

    /** The position of the newest event of a topic, if it has one. */
    public Optional<Position> latestPosition(String topic) {
        TopicState state = topics.get(topic);
        if (state == null) {
            // Not in memory: a durable store may still have it.
            state = topicState(topic);
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
                topicCount, subscriptions.size(), historyBytes.get(), limitRejections.sum(), topicsEvicted.sum());
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
