package dev.streams.core.internal;

import dev.streams.core.Event;
import dev.streams.core.Gap;
import dev.streams.core.Position;
import dev.streams.core.StartPosition;
import dev.streams.core.TopicHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Queues a topic's history for a new subscription according to its start position, gaps included: at once
 * under the topic's lock ({@link #replay}), or in two steps around a store read made with no lock held
 * ({@link #planStoredRead}, {@link StoredRead#read}, {@link #finishStoredRead}). {@link TopicJoin} decides which.
 */
final class Replayer {
    private final LongSupplier clockNanos;

    Replayer(LongSupplier clockNanos) {
        this.clockNanos = clockNanos;
    }

    /**
     * Whether {@link #replay} of {@code start} reads only memory (no store or engine I/O). Under the topic's
     * lock, and then true until the lock is let go.
     */
    boolean inMemory(TopicState topic, StartPosition start) {
        TopicHistory history = topic.history;
        // As replay() does first: what memory holds is decided after letting go of what it no longer keeps.
        history.expire(clockNanos.getAsLong());
        if (start instanceof StartPosition.Since since) {
            return history.readsSinceInMemory(toNanos(since));
        }
        if (start instanceof StartPosition.Last last) {
            return history.readsLastInMemory(last.count());
        }
        if (start instanceof StartPosition.Resume resume) {
            Position position = resume.positionOf(topic.name);
            if (position == null) {
                return inMemory(topic, resume.others());
            }
            // Another epoch's events are only in the store.
            return position.epoch() == history.epoch() && history.readsAfterInMemory(position.offset());
        }
        return true;
    }

    /** Must be called under {@code topic}'s lock. */
    void replay(QueuedSubscription sub, TopicState topic, StartPosition start) {
        TopicHistory history = topic.history;
        history.expire(clockNanos.getAsLong());
        List<Event> events;
        if (start instanceof StartPosition.Since since) {
            events = history.readSince(toNanos(since));
        } else if (start instanceof StartPosition.Last last) {
            events = history.readLast(last.count());
        } else if (start instanceof StartPosition.Resume resume) {
            Position position = resume.positionOf(topic.name);
            if (position == null) {
                replay(sub, topic, resume.others());
                return;
            }
            resumeAfter(sub, topic, position);
            return;
        } else {
            return;
        }
        for (Event event : events) {
            sub.offer(event);
        }
    }

    /**
     * Resumes after {@code position}. An old epoch gets EPOCH_CHANGED (count unknown), then whatever the
     * history still has of that epoch after the position, then the current epoch from its start. Within one
     * epoch, every run of events the history no longer has (or did not return, for a client far behind; or
     * never had, on a cluster node that could not recover them) is one gap with its exact count, where it
     * falls: HISTORY_EXPIRED when retention took any of them, QUEUE_OVERFLOW otherwise.
     */
    private static void resumeAfter(QueuedSubscription sub, TopicState topic, Position position) {
        TopicHistory history = topic.history;
        if (position.epoch() != history.epoch()) {
            sub.gap(new Gap(topic.name, history.epoch(), -1, Gap.Cause.EPOCH_CHANGED));
            for (Event event : history.readEarlierEpochAfter(position)) {
                sub.offer(event);
            }
            for (Event event : history.readAfter(0)) {
                sub.offer(event);
            }
            return;
        }
        gapToEnd(sub, topic, offerWithGaps(sub, topic, history.readAfter(position.offset()), position.offset() + 1));
    }

    /**
     * Queues a run of events that should start at {@code expected} and reach the topic's last offset: every
     * run missing from it (before the first, between two, after the last) is one gap with its exact count.
     */
    private static long offerWithGaps(QueuedSubscription sub, TopicState topic, List<Event> events, long expected) {
        for (Event event : events) {
            if (event.offset() > expected) {
                sub.gap(holeBefore(topic, event.offset(), expected));
            }
            sub.offer(event);
            expected = event.offset() + 1;
        }
        return expected;
    }

    private static void gapToEnd(QueuedSubscription sub, TopicState topic, long expected) {
        long next = topic.history.lastOffset() + 1;
        if (next > expected) {
            sub.gap(holeBefore(topic, next, expected));
        }
    }

    /**
     * What a replay reads from the store without the topic's lock: planned under the lock ({@link #planStoredRead}),
     * read with no lock held ({@link #read}), then finished under the lock again with what memory holds after
     * {@code to} ({@link #finishStoredRead}). One per kind of start.
     *
     * @param kind     which start it serves
     * @param epoch    the topic's epoch when planned
     * @param to       the last offset to read from the store: the one before memory's start when planned
     * @param from     AFTER: the first offset the subscriber lacks
     * @param since    SINCE: the time from which events count
     * @param max      LAST: how many the store must add to what memory holds
     * @param count    LAST: how many the subscriber asked for
     * @param earlier  EARLIER_EPOCH: the subscriber's cursor in an earlier epoch
     */
    record StoredRead(Kind kind, long epoch, long to, long from, long since, int max, int count, Position earlier) {
        enum Kind { AFTER, EARLIER_EPOCH, SINCE, LAST }

        /** Without the topic's lock: what the store has for this read. */
        Stored read(TopicHistory history) {
            return switch (kind) {
                case AFTER -> new Stored(List.of(), history.readStoredRange(epoch, from, to, Integer.MAX_VALUE));
                case EARLIER_EPOCH -> new Stored(history.readEarlierEpochAfter(earlier),
                        history.readStoredRange(epoch, 1, to, Integer.MAX_VALUE));
                case SINCE -> new Stored(List.of(), history.readStoredSince(epoch, since, to));
                case LAST -> new Stored(List.of(), history.readStoredRange(epoch, 1, to, max));
            };
        }
    }

    /** What a {@link StoredRead} found: an earlier epoch's events after the cursor (EARLIER_EPOCH), then this epoch's. */
    record Stored(List<Event> earlierEpoch, List<Event> events) {
    }

    /**
     * Under the topic's lock: the store read a replay needs, or null when memory answers it or the history
     * cannot read its store without the lock (then the replay runs under the lock).
     */
    StoredRead planStoredRead(TopicState topic, StartPosition start) {
        TopicHistory history = topic.history;
        history.expire(clockNanos.getAsLong());
        if (!history.readsStoredWithoutLock()) {
            return null;
        }
        long epoch = history.epoch();
        long to = history.memoryStart() - 1;
        if (start instanceof StartPosition.Since since) {
            long nanos = toNanos(since);
            return history.readsSinceInMemory(nanos) ? null
                    : new StoredRead(StoredRead.Kind.SINCE, epoch, to, 0, nanos, 0, 0, null);
        }
        if (start instanceof StartPosition.Last last) {
            long inMemory = history.lastOffset() - to;
            return history.readsLastInMemory(last.count()) ? null : new StoredRead(StoredRead.Kind.LAST, epoch, to, 0, 0,
                    (int) Math.max(0, last.count() - inMemory), last.count(), null);
        }
        if (start instanceof StartPosition.Resume resume) {
            Position position = resume.positionOf(topic.name);
            if (position == null) {
                return planStoredRead(topic, resume.others());
            }
            if (position.epoch() != epoch) {
                return new StoredRead(StoredRead.Kind.EARLIER_EPOCH, epoch, to, 1, 0, 0, 0, position);
            }
            return history.readsAfterInMemory(position.offset()) ? null
                    : new StoredRead(StoredRead.Kind.AFTER, epoch, to, position.offset() + 1, 0, 0, 0, null);
        }
        return null;
    }

    /**
     * Under the topic's lock again: whether memory still holds everything after what the read covered (it may
     * have let go of events meanwhile; then read again). Everything up to {@code to} was in the store when the
     * read was planned (memory lets go of an event only once it is committed), so what the read did not return
     * there has expired: a gap, never a skip.
     */
    boolean canFinish(TopicState topic, StoredRead read) {
        TopicHistory history = topic.history;
        return !topic.removed && history.epoch() == read.epoch() && history.memoryStart() <= read.to() + 1;
    }

    /**
     * Under the topic's lock, when {@link #canFinish}, after the subscription joined the topic: queues what the
     * store returned and then what memory holds after it, with gaps exactly as {@link #replay} reports them.
     */
    void finishStoredRead(QueuedSubscription sub, TopicState topic, StoredRead read, Stored stored) {
        TopicHistory history = topic.history;
        history.expire(clockNanos.getAsLong());
        List<Event> memory = history.readAfter(read.to());
        switch (read.kind()) {
            case AFTER -> gapToEnd(sub, topic, offerWithGaps(sub, topic, memory,
                    offerWithGaps(sub, topic, stored.events(), read.from())));
            case EARLIER_EPOCH -> {
                sub.gap(new Gap(topic.name, history.epoch(), -1, Gap.Cause.EPOCH_CHANGED));
                offerAll(sub, stored.earlierEpoch());
                offerAll(sub, stored.events());
                offerAll(sub, memory);
            }
            case SINCE -> {
                offerAll(sub, stored.events());
                offerAll(sub, memory);
            }
            case LAST -> {
                List<Event> both = new ArrayList<>(stored.events());
                both.addAll(memory);
                offerAll(sub, both.subList(Math.max(0, both.size() - read.count()), both.size()));
            }
        }
    }

    private static void offerAll(QueuedSubscription sub, List<Event> events) {
        for (Event event : events) {
            sub.offer(event);
        }
    }

    /**
     * The gap before {@code offset}. Where the history begins is asked only when there is a hole: a durable
     * history may look it up in its store, and a replay from memory has no hole to ask about.
     */
    private static Gap holeBefore(TopicState topic, long offset, long expected) {
        Gap.Cause cause = expected < topic.history.firstOffset() ? Gap.Cause.HISTORY_EXPIRED : Gap.Cause.QUEUE_OVERFLOW;
        return new Gap(topic.name, topic.history.epoch(), offset - expected, cause);
    }

    private static long toNanos(StartPosition.Since since) {
        return Event.epochNanosOf(since.time());
    }
}
