package dev.streams.core.internal;

import dev.streams.core.Event;
import dev.streams.core.StartPosition;
import dev.streams.core.StreamsException;
import dev.streams.core.Topics;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How a new subscription joins its topics, so that its replay and the live events meet with no gap and no
 * duplicate: under each topic's lock it is registered and its replay ({@link Replayer}) is queued. What a replay
 * must read from the store is read with no lock held first and joined with memory under the lock afterwards,
 * so a slow read holds up no publish (see {@link Replayer#planStoredRead}).
 */
final class TopicJoin {
    private final Replayer replayer;

    TopicJoin(Replayer replayer) {
        this.replayer = replayer;
    }

    /**
     * Unlocked store reads a join tries before it reads under the lock: memory may move past a read (a topic
     * published faster than the store answers), and then the read is made again.
     */
    private static final int UNLOCKED_READ_ATTEMPTS = 3;

    /**
     * Joins an exact-topic subscription to its topic ({@code topicState} finds or opens it, and may block).
     * A resume that must read the store reads it with no lock held, so publishes to the topic go on meanwhile
     * (see {@link Replayer#planStoredRead}); every other replay runs under the topic's lock.
     */
    void joinExact(QueuedSubscription sub, StartPosition start, Supplier<TopicState> topicState,
                   HistoryBudget budget) {
        int attempts = 0;
        while (true) {
            TopicState state = topicState.get();
            Replayer.StoredRead read;
            synchronized (state) {
                if (state.removed) {
                    continue;
                }
                read = attempts++ < UNLOCKED_READ_ATTEMPTS ? replayer.planStoredRead(state, start) : null;
                if (read == null) {
                    state.addExact(sub);
                    replayer.replay(sub, state, start);
                    budget.settle(state);
                    return;
                }
            }
            Replayer.Stored stored = read.read(state.history);
            synchronized (state) {
                if (replayer.canFinish(state, read)) {
                    // Joined before anything is queued, as in every replay: a subscription that the replay itself
                    // ends (its queue overflows under DISCONNECT) then leaves the topic rather than staying on it.
                    state.addExact(sub);
                    replayer.finishStoredRead(sub, state, read, stored);
                    budget.settle(state);
                    return;
                }
            }
        }
    }

    /** Joins an exact-topic subscription only when memory answers its replay; false, having done nothing, if not. */
    boolean joinFromMemory(QueuedSubscription sub, TopicState state, StartPosition start, HistoryBudget budget) {
        synchronized (state) {
            if (state.removed || !replayer.inMemory(state, start)) {
                return false;
            }
            state.addExact(sub);
            replayer.replay(sub, state, start);
            budget.settle(state);
            return true;
        }
    }

    /**
     * Joins a pattern subscription: when it replays, its store reads are made first ({@link #prefetchPattern}),
     * then {@code register} puts it in the project's wildcard index (publishers see it from then on), then each
     * matching topic is activated ({@link #startPattern}).
     */
    void joinPattern(PatternSubscription sub, StartPosition start, Function<String, TopicState> topicState,
                     Collection<TopicState> topics, HistoryBudget budget, Runnable register) {
        if (sub.isStarting()) {
            prefetchPattern(sub, start, topicState, topics);
        }
        register.run();
        if (sub.isStarting()) {
            startPattern(sub, topics, budget);
        }
    }

    /** What the store had for a topic's replay, read before a pattern subscription registered. */
    record Prefetched(Replayer.StoredRead read, Replayer.Stored stored) {
    }

    /**
     * Before a replaying pattern subscription registers (so that no publisher activates it yet): opens the topics
     * it resumes, and reads from the store, with no lock held, what each matching topic's replay needs. Its
     * activations, by {@link #startPattern} or by a publisher, then join memory under the lock without reading
     * the store. At most {@link #PREFETCH_BUDGET_BYTES} are held this way; topics past it, and topics that
     * appear after this, read under the lock as before.
     */
    private void prefetchPattern(PatternSubscription sub, StartPosition start, Function<String, TopicState> topicState,
                         Collection<TopicState> topics) {
        if (start instanceof StartPosition.Resume resume) {
            // A topic the client resumes may have no state in this process (nobody used it since a restart or
            // an eviction): create it, so the replay reports the epoch change as a gap.
            for (String topic : resume.positions().keySet()) {
                if (isTopic(topic) && Topics.matches(sub.pattern(), topic)) {
                    topicState.apply(topic);
                }
            }
        }
        long bytes = 0;
        for (TopicState state : topics) {
            if (bytes >= PREFETCH_BUDGET_BYTES) {
                return;
            }
            if (!Topics.matches(sub.pattern(), state.name)) {
                continue;
            }
            Replayer.StoredRead read;
            synchronized (state) {
                read = state.removed ? null : replayer.planStoredRead(state, start);
            }
            if (read != null) {
                Replayer.Stored stored = read.read(state.history);
                for (List<Event> events : List.of(stored.earlierEpoch(), stored.events())) {
                    for (Event event : events) {
                        bytes += event.sizeInBytes();
                    }
                }
                sub.prefetched(state, new Prefetched(read, stored));
            }
        }
    }

    /** What a pattern subscription's prefetched store reads may hold in all while it starts. */
    static final long PREFETCH_BUDGET_BYTES = 16L << 20;

    /**
     * Under the topic's lock, when a starting pattern subscription is activated for it: joins memory to what
     * was prefetched when that still fits, else replays as {@link Replayer#replay} does.
     */
    void replayActivated(QueuedSubscription sub, TopicState topic, StartPosition start, Prefetched prefetched) {
        if (prefetched != null && replayer.canFinish(topic, prefetched.read())) {
            replayer.finishStoredRead(sub, topic, prefetched.read(), prefetched.stored());
        } else {
            replayer.replay(sub, topic, start);
        }
    }

    /**
     * Starts a pattern subscription that replays, once registered: activates each matching topic under its
     * lock (unless a publisher got there first, see {@link PatternSubscription}), then ends its start.
     */
    private void startPattern(PatternSubscription sub, Collection<TopicState> topics, HistoryBudget budget) {
        for (TopicState state : topics) {
            if (Topics.matches(sub.pattern(), state.name)) {
                synchronized (state) {
                    if (!state.removed) {
                        sub.activate(state);
                        budget.settle(state);
                    }
                }
            }
        }
        sub.finishStarting();
    }

    private static boolean isTopic(String name) {
        try {
            Topics.requireTopic(name);
            return true;
        } catch (StreamsException notATopic) {
            return false;
        }
    }
}
