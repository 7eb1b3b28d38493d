package dev.streams.transport.ws.internal;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Writes what an event loop's connections collected, all of them in one task, once the loop has nothing else
 * queued: a connection that gets several events while the loop works through its queue sends them in one write,
 * and one that keeps up is still written within the same pass. Under load a connection's writes grow, not their
 * number; when the loop is idle, the flush is at once. The wait is bounded: after {@link #MAX_DEFERRALS} passes
 * behind other tasks it writes anyway.
 *
 * <p>Passes over many connections that come back to back are spaced, too: the next waits until as long after the
 * last one ended as that one lasted (at most the server's {@code maxWriteHold}), and the loop reads and hands over
 * what arrives meanwhile. So a loop that is behind spends at most about half its time in write passes, and each
 * connection's write carries the events of a whole pass's time, not of the moments the pass left over; a loop
 * that keeps up finishes its pass before the next event, and never waits. With write coalescing the spacing is at
 * least the coalescing time, whatever the pass took: fewer system calls per delivery for up to that much latency
 * (nats-server's write loops coalesce so).
 *
 * <p>One per event loop thread; used on that thread only, so it needs no locks.
 */
final class LoopFlusher implements Runnable {
    private static final int MAX_DEFERRALS = 4;
    /**
     * Passes over fewer connections than this are never held back, nor do they hold the next: answering a
     * publisher or a few clients is latency-bound and cheap, while a pass over many connections is what fan-out
     * pays for in system calls.
     */
    private static final int HOLD_MIN_CONNECTIONS = 16;
    private static final FastThreadLocal<LoopFlusher> PER_LOOP = new FastThreadLocal<>();

    private final EventExecutor loop;
    /** The frames this loop's connections take in the coming pass, framed once for all of them. */
    private final SharedFrames frames = new SharedFrames();
    private List<FrameBatcher> due = new ArrayList<>();
    private List<FrameBatcher> spare = new ArrayList<>();
    private boolean scheduled;
    private int deferrals;
    /** How long after a pass over many connections the next waits at least (the server's write coalescing). */
    private long coalesceNanos;
    /** The longest the next pass waits for being as long after the last as that one lasted; 0: never. */
    private long maxHoldNanos;
    /** When the last pass ended, how long it took, and over how many connections. */
    private long lastPassNanos;
    private long lastPassLength;
    private int lastPassSize;
    /** A sampled event's fan-out went into the coming pass: where its time goes, and when it began; or null. */
    private FanOutLatency timing;
    private long timedSince;

    private LoopFlusher(EventExecutor loop) {
        this.loop = loop;
    }

    /**
     * The flusher of {@code loop}, when called on it and it is a real event loop thread; null otherwise (an
     * embedded channel in a test), and the caller schedules its own write.
     */
    static LoopFlusher of(EventExecutor loop) {
        if (!(loop instanceof SingleThreadEventExecutor) || !loop.inEventLoop()) {
            return null;
        }
        LoopFlusher flusher = PER_LOOP.get();
        if (flusher == null) {
            flusher = new LoopFlusher(loop);
            PER_LOOP.set(flusher);
        }
        return flusher;
    }

    /**
     * Spaces the calling event loop's passes over many connections: at least {@code coalesceNanos} apart (write
     * coalescing), and as far apart as the last one lasted, up to {@code maxHoldNanos} (see
     * {@code StreamsServer.Builder.writeCoalescing} and {@code maxWriteHold}). Called on the loop, before it serves.
     */
    static void space(EventExecutor loop, long coalesceNanos, long maxHoldNanos) {
        LoopFlusher flusher = of(loop);
        if (flusher != null) {
            flusher.coalesceNanos = coalesceNanos;
            flusher.maxHoldNanos = maxHoldNanos;
        }
    }

    /**
     * A sampled event, begun fanning out at {@code fanOutNanos}, was just handed to this loop's subscriptions: the
     * coming pass writes it, and its end is recorded in {@code latency}. Nothing is recorded when no pass is coming
     * (no subscriber could take the event now), nor for a second sample before the pass (the first is older).
     */
    void timeNextPass(long fanOutNanos, FanOutLatency latency) {
        if (scheduled && timing == null) {
            timing = latency;
            timedSince = fanOutNanos;
        }
    }

    /** The frames of the coming pass, framed once for every connection of this loop that takes them. */
    SharedFrames frames() {
        return frames;
    }

    /** {@code batcher} has something to write this turn. */
    void add(FrameBatcher batcher) {
        due.add(batcher);
        if (!scheduled) {
            scheduled = true;
            deferrals = 0;
            loop.execute(this);
        }
    }

    @Override
    public void run() {
        if (deferrals < MAX_DEFERRALS && ((SingleThreadEventExecutor) loop).pendingTasks() > 0) {
            // Deliveries still queued on this loop: write after them, together.
            deferrals++;
            loop.execute(this);
            return;
        }
        if (due.size() >= HOLD_MIN_CONNECTIONS && lastPassSize >= HOLD_MIN_CONNECTIONS) {
            long spacing = Math.max(coalesceNanos, Math.min(lastPassLength, maxHoldNanos));
            long wait = lastPassNanos + spacing - System.nanoTime();
            if (wait > 0) {
                // Fan-out under load: these connections' writes take the events of the rest of the time too.
                loop.schedule(this, wait, TimeUnit.NANOSECONDS);
                return;
            }
        }
        scheduled = false;
        List<FrameBatcher> writing = due;
        due = spare;
        long passStart = System.nanoTime();
        for (FrameBatcher batcher : writing) {
            batcher.flush();
        }
        lastPassSize = writing.size();
        lastPassNanos = System.nanoTime();
        lastPassLength = lastPassNanos - passStart;
        if (timing != null) {
            timing.record(lastPassNanos - timedSince);
            timing = null;
        }
        writing.clear();
        spare = writing;
        frames.passEnded();
    }
}
