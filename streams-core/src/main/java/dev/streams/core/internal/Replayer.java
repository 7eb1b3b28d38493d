package dev.streams.core.internal;

import dev.streams.core.Event;
import dev.streams.core.Gap;
import dev.streams.core.Position;
import dev.streams.core.StartPosition;
import dev.streams.core.TopicHistory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** Queues a topic's history for a new subscription according to its start position, gaps included. */
final class Replayer {
    private final LongSupplier clockNanos;

    Replayer(LongSupplier clockNanos) {
        this.clockNanos = clockNanos;
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
            events = resumeAfter(sub, topic, position);
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
     * epoch, events the history no longer has (or did not return, for a client far behind) are one gap with
     * their exact count: HISTORY_EXPIRED when retention took any of them, QUEUE_OVERFLOW otherwise.
     */
    private static List<Event> resumeAfter(QueuedSubscription sub, TopicState topic, Position position) {
        TopicHistory history = topic.history;
        if (position.epoch() != history.epoch()) {
            sub.gap(new Gap(topic.name, history.epoch(), -1, Gap.Cause.EPOCH_CHANGED));
            List<Event> earlier = history.readEarlierEpochAfter(position);
            List<Event> current = history.readAfter(0);
            if (earlier.isEmpty()) {
                return current;
            }
            List<Event> both = new java.util.ArrayList<>(earlier.size() + current.size());
            both.addAll(earlier);
            both.addAll(current);
            return both;
        }
        long expected = position.offset() + 1;
        long firstRetained = history.firstOffset();
        List<Event> events = history.readAfter(position.offset());
        long first = events.isEmpty() ? history.lastOffset() + 1 : events.get(0).offset();
        if (first > expected) {
            Gap.Cause cause = expected < firstRetained ? Gap.Cause.HISTORY_EXPIRED : Gap.Cause.QUEUE_OVERFLOW;
            sub.gap(new Gap(topic.name, history.epoch(), first - expected, cause));
        }
        return events;
    }

    private static long toNanos(StartPosition.Since since) {
        try {
            return Math.addExact(TimeUnit.SECONDS.toNanos(since.time().getEpochSecond()), since.time().getNano());
        } catch (ArithmeticException outOfRange) {
            return since.time().getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
