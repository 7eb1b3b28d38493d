package dev.streams.core.internal;

import dev.streams.core.CloseReason;
import dev.streams.core.ClusterEngine;
import dev.streams.core.Event;
import dev.streams.core.Gap;
import dev.streams.core.HistoryStore;
import dev.streams.core.Idempotency;
import dev.streams.core.Position;
import dev.streams.core.ProjectLimits;
import dev.streams.core.ProjectStats;
import dev.streams.core.StartPosition;
import dev.streams.core.SubscribeOptions;
import dev.streams.core.Subscription;
import dev.streams.core.SubscriptionListener;
import dev.streams.core.TopicHistory;
import dev.streams.core.Topics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Everything of one project, composed of its parts: its topics ({@link TopicTable}), its wildcard index, the
 * hand-off to subscriptions ({@link TopicFanout}), its limits ({@link ProjectAdmission}, {@link HistoryBudget}),
 * joining subscriptions to topics ({@link TopicJoin}) and its counters. This class publishes, applies what the
 * cluster positioned, subscribes and sweeps. Nothing here ever refers to another project, which is what keeps
 * tenants apart.
 *
 * <p>Concurrency: each {@link TopicState} is guarded by its own monitor, which orders the topic's publishes.
 * Lock order: a topic's lock, then the pattern index's, then a subscription's.
 *
 * <p>In a cluster ({@code cluster} not null) a publish only checks the limits and goes to the engine, which
 * positions it; every node, this one included, then receives it through {@link #apply}, which appends and fans
 * out exactly as a local publish does. Only the engine's one delivery thread calls {@code apply}.
 */
public final class ProjectState {
    private final String name;
    private final HistoryStore store;
    private final LongSupplier clockNanos;
    private final Executor defaultExecutor;
    private final TopicJoin join;
    private final TopicTable topics;
    private final PatternIndex patterns = new PatternIndex();
    private final TopicFanout fanout;
    private final Set<QueuedSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final ProjectAdmission admission;
    private final ClusterEngine cluster;
    private final HistoryBudget budget;
    /** Idempotency keys of recent publishes, so that a retried publish is stored once. */
    private final IdempotencyKeys keys;
    /** Counted here and by the project's subscriptions. */
    final ProjectCounters counters = new ProjectCounters();
    /** The broker's event-loop inboxes, which the project's subscriptions on event loops deliver through. */
    final LoopInboxes inboxes;

    public ProjectState(String name, HistoryStore store, LongSupplier clockNanos, Executor defaultExecutor,
                        LoopInboxes inboxes, ProjectLimits limits, ClusterEngine cluster, Idempotency idempotency) {
        this.name = name;
        this.keys = new IdempotencyKeys(idempotency, clockNanos);
        this.inboxes = inboxes;
        this.cluster = cluster;
        this.admission = new ProjectAdmission(name, limits);
        this.budget = new HistoryBudget(limits.maxHistoryBytes());
        this.store = store;
        this.clockNanos = clockNanos;
        this.defaultExecutor = defaultExecutor;
        this.join = new TopicJoin(new Replayer(clockNanos));
        this.topics = new TopicTable(name, store, cluster, admission, this::sweep);
        this.fanout = new TopicFanout(patterns, budget, counters);
    }

    /** Remembers the idempotency key of an event found in the history store at start. */
    public void restoreIdempotencyKey(Event stored) {
        keys.restore(stored);
    }

    public String name() {
        return name;
    }

    /**
     * Publishes one event; called with a valid topic. Alone, the event is stamped, stored and fanned out
     * before this returns; in a cluster, the engine positions it and the future completes once it accepted it.
     */
    public CompletableFuture<Event> publish(String topic, String contentType, byte[] payload,
                                            Map<String, String> attributes) {
        String key = attributes.get(Idempotency.KEY);
        if (key == null) {
            return publishOnce(topic, contentType, payload, attributes);
        }
        Idempotency.requireKey(key);
        CompletableFuture<Event> mine = new CompletableFuture<>();
        CompletableFuture<Event> first = keys.reserve(key, topic, mine);
        if (first != null) {
            counters.repeatedPublishes.increment();
            return first;
        }
        CompletableFuture<Event> published;
        try {
            published = publishOnce(topic, contentType, payload, attributes);
        } catch (RuntimeException refused) {
            keys.release(key, mine);
            mine.completeExceptionally(refused);
            throw refused;
        }
        published.whenComplete((event, failure) -> {
            if (failure != null) {
                keys.release(key, mine);
                mine.completeExceptionally(failure);
            } else {
                mine.complete(event);
            }
        });
        return published;
    }

    private CompletableFuture<Event> publishOnce(String topic, String contentType, byte[] payload,
                                                 Map<String, String> attributes) {
        admission.checkPublishRate();
        if (cluster == null) {
            return CompletableFuture.completedFuture(publishHere(topic, contentType, payload, attributes));
        }
        topics.checkLimit(topic);
        return cluster.publish(new Event(name, topic, 0, 0, clockNanos.getAsLong(), payload, contentType,
                attributes));
    }

    private Event publishHere(String topic, String contentType, byte[] payload, Map<String, String> attributes) {
        long now = clockNanos.getAsLong();
        while (true) {
            TopicState state = topics.get(topic);
            synchronized (state) {
                if (state.removed) {
                    continue;
                }
                var history = state.history;
                long timestamp = Math.max(now, history.lastTimestampNanos() + 1);
                Event event = new Event(name, topic, history.epoch(), history.lastOffset() + 1, timestamp,
                        payload, contentType, attributes);
                history.expire(timestamp);
                if (!budget.makeRoom(state, event.sizeInBytes())) {
                    throw admission.refused("history", admission.limits().maxHistoryBytes() + " bytes");
                }
                history.append(event);
                fanout.deliver(state, event);
                return event;
            }
        }
    }

    /**
     * Applies an event the cluster engine positioned (see {@link ClusterEngine.Node#apply}): appends it and
     * fans it out when it is the topic's next one; skips it when this node had it; otherwise answers the first
     * offset missing before it, unless {@code acceptLoss}, which tells the subscribers of the hole and moves on.
     */
    public long apply(Event event, boolean acceptLoss, boolean acceptedHere) {
        while (true) {
            TopicState state = topics.find(event.topic());
            if (state == null) {
                // New to this node: its history starts at this event (earlier ones are the recovery log's).
                state = topics.open(event.topic(), new Position(event.epoch(), event.offset() - 1));
            }
            synchronized (state) {
                if (state.removed) {
                    continue;
                }
                TopicHistory history = state.history;
                if (event.epoch() != history.epoch()) {
                    if (history.lastOffset() > 0) {
                        // The authority started the topic over (Redis restarted empty, say).
                        fanout.gap(state, new Gap(state.name, event.epoch(), -1, Gap.Cause.EPOCH_CHANGED));
                    }
                    history.moveTo(event.epoch(), 0);
                }
                long expected = history.lastOffset() + 1;
                if (event.offset() < expected) {
                    return 0;
                }
                if (event.offset() > expected) {
                    if (!acceptLoss) {
                        return expected;
                    }
                    fanout.gap(state, new Gap(state.name, event.epoch(), event.offset() - expected,
                            Gap.Cause.CLUSTER_MISSED));
                    history.moveTo(event.epoch(), event.offset() - 1);
                }
                history.expire(clockNanos.getAsLong());
                // Accepted by the cluster already, so never refused: the topic sheds what room it can.
                budget.makeRoom(state, event.sizeInBytes());
                if (acceptedHere || !store.sharedByNodes()) {
                    history.append(event);
                } else {
                    history.appendStoredElsewhere(event);
                }
                fanout.deliver(state, event);
                return 0;
            }
        }
    }

    /** Each topic held here with the position of its last event (see {@link ClusterEngine.Node#forEachTopic}). */
    public void forEachTopic(ClusterEngine.TopicVisitor visitor) {
        for (TopicState state : topics.all()) {
            Position last;
            synchronized (state) {
                if (state.removed) {
                    continue;
                }
                last = new Position(state.history.epoch(), state.history.lastOffset());
            }
            visitor.visit(name, state.name, last);
        }
    }

    private void checkSubscriptionLimit() {
        admission.checkSubscriptions(subscriptions.size());
    }

    /**
     * Expires history by age in every topic and forgets the topics that are idle: no exact subscriber and no
     * retained event. A forgotten topic starts a new epoch when next used, so a client resuming from one of
     * its cursors gets an explicit EPOCH_CHANGED gap; nothing it had not received is lost silently.
     */
    public void sweep() {
        long now = clockNanos.getAsLong();
        for (TopicState state : topics.all()) {
            synchronized (state) {
                if (state.removed) {
                    continue;
                }
                state.history.expire(now);
                budget.settle(state);
                if (state.isIdle()) {
                    topics.forget(state);
                    counters.topicsEvicted.increment();
                }
            }
        }
    }

    /** Registers a subscription and queues its replay; called with a valid pattern. */
    public Subscription subscribe(String pattern, StartPosition start, SubscribeOptions options,
                                  SubscriptionListener listener) {
        checkSubscriptionLimit();
        if (!Topics.hasWildcard(pattern)) {
            return joined(new QueuedSubscription(this, pattern, listener, options, defaultExecutor), sub -> {
                join.joinExact(sub, start, () -> topics.get(pattern), budget);
                return true;
            });
        }
        return joined(new PatternSubscription(this, pattern, listener, options, defaultExecutor, start, join), sub -> {
            join.joinPattern(sub, start, topics::get, topics.all(), budget, () -> patterns.add(sub.tokens, sub));
            return true;
        });
    }

    /**
     * Counts {@code sub} as the project's, then joins it ({@code joining} answers whether it joined); forgets it
     * again when the join declined or failed. Counted first, so that an end racing with the join finds it.
     */
    private <S extends QueuedSubscription> S joined(S sub, Predicate<S> joining) {
        subscriptions.add(sub);
        try {
            if (joining.test(sub)) {
                return sub;
            }
        } catch (RuntimeException e) {
            unregister(sub);
            throw e;
        }
        unregister(sub);
        return null;
    }

    /**
     * Subscribes only when that reads nothing but memory (see {@link dev.streams.core.Broker#subscribeIfInMemory}
     * and {@link TopicJoin#joinFromMemory}); returns null, having done nothing, otherwise.
     */
    public Subscription subscribeIfInMemory(String pattern, StartPosition start, SubscribeOptions options,
                                            SubscriptionListener listener) {
        if (Topics.hasWildcard(pattern)) {
            return start == StartPosition.latest() ? subscribe(pattern, start, options, listener) : null;
        }
        TopicState state = topics.find(pattern);
        if (state == null) {
            return null;
        }
        checkSubscriptionLimit();
        return joined(new QueuedSubscription(this, pattern, listener, options, defaultExecutor),
                sub -> join.joinFromMemory(sub, state, start, budget));
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
        TopicState state = topics.find(sub.pattern());
        if (state == null) {
            return;
        }
        synchronized (state) {
            state.removeExact(sub);
            if (state.history.lastOffset() == 0 && state.isIdle() && !state.removed) {
                topics.forget(state);
            }
        }
    }

    /** Whether the topic's fan-out is far behind its publishers (see {@code Broker.fanOutBehind}). Any thread. */
    public boolean fanOutBehind(String topic) {
        TopicState state = topics.find(topic);
        return state != null && state.fanOutBehind();
    }

    /** The position of the newest event of a topic, if it has one. */
    public Optional<Position> latestPosition(String topic) {
        TopicState state = topics.find(topic);
        if (state == null) {
            // Not in memory: a durable store may still have it.
            state = topics.get(topic);
        }
        synchronized (state) {
            long last = state.history.lastOffset();
            return last == 0 ? Optional.empty() : Optional.of(new Position(state.history.epoch(), last));
        }
    }

    public ProjectStats stats() {
        return new ProjectStats(counters.published.sum(), counters.delivered.sum(), counters.dropped.sum(),
                counters.slowDisconnects.sum(), topics.withEvents(), subscriptions.size(), budget.bytes(),
                admission.rejections.sum(), counters.topicsEvicted.sum(), counters.repeatedPublishes.sum());
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
