package dev.streams.core;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How one subscription queues and delivers: its queue bounds, what happens on overflow, where the listener
 * runs and whether demand is managed by the caller. Immutable; build with {@link #builder()}.
 */
public final class SubscribeOptions {
    /** Default queue bound in events. */
    public static final int DEFAULT_MAX_QUEUED_EVENTS = 1024;
    /** Default queue bound in bytes (see {@link Event#sizeInBytes()}). */
    public static final long DEFAULT_MAX_QUEUED_BYTES = 8L * 1024 * 1024;

    private static final SubscribeOptions DEFAULTS = builder().build();

    private final int maxQueuedEvents;
    private final long maxQueuedBytes;
    private final OverflowPolicy overflowPolicy;
    private final Executor executor;
    private final boolean eventLoop;
    private final boolean manualDemand;

    private SubscribeOptions(Builder b) {
        this.maxQueuedEvents = b.maxQueuedEvents;
        this.maxQueuedBytes = b.maxQueuedBytes;
        this.overflowPolicy = b.overflowPolicy;
        this.executor = b.executor;
        this.eventLoop = b.eventLoop;
        this.manualDemand = b.manualDemand;
    }

    /** The defaults: 1024 events and 8 MiB queued, DROP_OLDEST, the broker's executor, automatic demand. */
    public static SubscribeOptions defaults() {
        return DEFAULTS;
    }

    /** Starts options from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxQueuedEvents = maxQueuedEvents;
        b.maxQueuedBytes = maxQueuedBytes;
        b.overflowPolicy = overflowPolicy;
        b.executor = executor;
        b.eventLoop = eventLoop;
        b.manualDemand = manualDemand;
        return b;
    }

    /** Events the subscription queues at most. */
    public int maxQueuedEvents() {
        return maxQueuedEvents;
    }

    /** Payload bytes the subscription queues at most. */
    public long maxQueuedBytes() {
        return maxQueuedBytes;
    }

    /** What happens when the queue is full. */
    public OverflowPolicy overflowPolicy() {
        return overflowPolicy;
    }

    /** The executor the listener runs on, or null for the broker's delivery pool. */
    public Executor executor() {
        return executor;
    }

    /** Whether {@link #executor()} is an event loop ({@link Builder#eventLoop}). */
    public boolean onEventLoop() {
        return eventLoop;
    }

    /** Whether events are delivered only as {@code request(n)} asks. */
    public boolean manualDemand() {
        return manualDemand;
    }

    /** Builds {@link SubscribeOptions}. */
    public static final class Builder {
        private int maxQueuedEvents = DEFAULT_MAX_QUEUED_EVENTS;
        private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
        private OverflowPolicy overflowPolicy = OverflowPolicy.DROP_OLDEST;
        private Executor executor;
        private boolean eventLoop;
        private boolean manualDemand;

        private Builder() {
        }

        /** Events queued at most (default 1024). */
        public Builder maxQueuedEvents(int events) {
            if (events < 1) {
                throw new IllegalArgumentException("maxQueuedEvents must be >= 1");
            }
            this.maxQueuedEvents = events;
            return this;
        }

        /** Payload bytes queued at most (default 8 MiB). */
        public Builder maxQueuedBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxQueuedBytes must be >= 1");
            }
            this.maxQueuedBytes = bytes;
            return this;
        }

        /** What happens when the queue is full (default DROP_OLDEST). */
        public Builder overflowPolicy(OverflowPolicy policy) {
            this.overflowPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Runs the listener on this executor (for example a Netty event loop) instead of the broker's pool.
         * The executor must queue tasks rather than run them on the calling thread.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            this.eventLoop = false;
            return this;
        }

        /**
         * Runs the listener on {@code loop}, an executor that runs its tasks one at a time, in order, on one
         * thread, and queues those submitted from elsewhere (a Netty event loop, say). The broker then hands each
         * event once to each such loop with subscribers of its topic, and the loop delivers it to all of them in
         * one task, rather than one task per subscriber. The same executor object must be passed for the same loop:
         * the broker keeps one inbox per such executor for its whole life (an application has a few loops).
         */
        public Builder eventLoop(Executor loop) {
            this.executor = Objects.requireNonNull(loop, "loop");
            this.eventLoop = true;
            return this;
        }

        /** Deliver only as many events as {@link Subscription#request(long)} allowed. */
        public Builder manualDemand() {
            this.manualDemand = true;
            return this;
        }

        /** Builds the options. */
        public SubscribeOptions build() {
            return new SubscribeOptions(this);
        }
    }
}
