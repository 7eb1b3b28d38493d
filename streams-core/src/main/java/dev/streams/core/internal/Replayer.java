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

    private static List<Event> resumeAfter(QueuedSubscription sub, TopicState topic, Position position) {
        TopicHistory history = topic.history;
        if (position.epoch() != history.epoch()) {
            sub.gap(new Gap(topic.name, history.epoch(), -1, Gap.Cause.EPOCH_CHANGED));
            return history.readAfter(0);
        }
        long missed = history.firstOffset() - position.offset() - 1;
        if (missed > 0) {
            sub.gap(new Gap(topic.name, history.epoch(), missed, Gap.Cause.HISTORY_EXPIRED));
        }
        return history.readAfter(position.offset());
    }

    private static long toNanos(StartPosition.Since since) {
        try {
            return Math.addExact(TimeUnit.SECONDS.toNanos(since.time().getEpochSecond()), since.time().getNano());
        } catch (ArithmeticException outOfRange) {
            return since.time().getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
