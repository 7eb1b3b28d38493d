package dev.streams.core;

import java.util.concurrent.Executor;

/**
 * An event loop (see {@link SubscribeOptions.Builder#eventLoop}) that times the fan-out. For one event in
 * {@link #SAMPLE_EVERY} of each topic (those whose offset is a multiple of it), the broker notes
 * {@link System#nanoTime()} as it begins to fan the event out, and tells each such loop, on the loop, right after
 * the loop handed that event to its subscriptions. What the loop does next with those deliveries (a network
 * server: writing them to its sockets) is what it can time from there: a latency measured inside the server,
 * whatever its clients can read.
 *
 * <p>Sampling keeps the cost off the hot path: one check of the offset per event, and a clock read and a call
 * for one event in {@value #SAMPLE_EVERY} only. Events replayed from history are never sampled.
 */
public interface TimedEventLoop extends Executor {
    /** One event in this many of each topic is sampled; a power of two. */
    int SAMPLE_EVERY = 1024;

    /**
     * On the loop, right after it handed a sampled event to its subscriptions.
     *
     * @param fanOutNanos {@link System#nanoTime()} when the broker began fanning the event out (on this node)
     */
    void handedSample(long fanOutNanos);
}
