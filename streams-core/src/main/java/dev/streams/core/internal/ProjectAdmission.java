package dev.streams.core.internal;

import dev.streams.core.ErrorKind;
import dev.streams.core.ProjectLimits;
import dev.streams.core.StreamsException;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one project may do, checked in one place: its publish rate, how many topics and subscriptions it holds,
 * and the words of every refusal (LIMIT_EXCEEDED naming the project, the limit and its value), each counted.
 * The history-bytes limit is {@link HistoryBudget}'s, which refuses through {@link #refused} too. Thread-safe.
 */
final class ProjectAdmission {
    private final String project;
    private final ProjectLimits limits;
    private final PublishRate rate;
    /** When the topic limit last swept inline, so a project at its limit does not sweep per publish. */
    private volatile long lastInlineSweepNanos;
    final LongAdder rejections = new LongAdder();

    ProjectAdmission(String project, ProjectLimits limits) {
        this.project = project;
        this.limits = limits;
        this.rate = limits.maxPublishRate() == 0 ? null : new PublishRate(limits.maxPublishRate());
    }

    ProjectLimits limits() {
        return limits;
    }

    /** Takes one publish from the project's rate. */
    void checkPublishRate() {
        if (rate != null && !rate.tryAcquire()) {
            throw refused("publish rate", limits.maxPublishRate() + " events/s");
        }
    }

    /**
     * Refuses a topic the project does not have yet ({@code known} false) when it holds {@code held} topics, at its
     * limit, after {@code sweep} forgot idle ones (at most once a second; {@code afterSweep} then counts again).
     */
    void checkNewTopic(int held, java.util.function.IntSupplier afterSweep, Runnable sweep) {
        if (held < limits.maxTopics()) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastInlineSweepNanos > 1_000_000_000L) {
            lastInlineSweepNanos = now;
            sweep.run();
        }
        if (afterSweep.getAsInt() >= limits.maxTopics()) {
            throw refused("topics", Integer.toString(limits.maxTopics()));
        }
    }

    /** Refuses one more subscription when the project holds {@code open}, at its limit. */
    void checkSubscriptions(int open) {
        if (open >= limits.maxSubscriptions()) {
            throw refused("subscriptions", Integer.toString(limits.maxSubscriptions()));
        }
    }

    /** A refusal of one of the project's limits, counted. */
    StreamsException refused(String what, String limit) {
        rejections.increment();
        return new StreamsException(ErrorKind.LIMIT_EXCEEDED,
                "project " + project + " has reached its " + what + " limit of " + limit);
    }
}
