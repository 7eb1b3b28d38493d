package dev.streams.transport.ws.internal;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes what an event loop's connections collected, all of them in one task, once the loop has nothing else
 * queued: a connection that gets several events while the loop works through its queue sends them in one write,
 * and one that keeps up is still written within the same pass. Under load a connection's writes grow, not their
 * number; when the loop is idle, the flush is at once. The wait is bounded: after {@link #MAX_DEFERRALS} passes
 * behind other tasks it writes anyway.
 *
 * <p>One per event loop thread; used on that thread only, so it needs no locks.
 */
final class LoopFlusher implements Runnable {
    private static final int MAX_DEFERRALS = 4;
    private static final FastThreadLocal<LoopFlusher> PER_LOOP = new FastThreadLocal<>();

    private final EventExecutor loop;
    private List<FrameBatcher> due = new ArrayList<>();
    private List<FrameBatcher> spare = new ArrayList<>();
    private boolean scheduled;
    private int deferrals;

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
        scheduled = false;
        List<FrameBatcher> writing = due;
        due = spare;
        for (FrameBatcher batcher : writing) {
            batcher.flush();
        }
        writing.clear();
        spare = writing;
    }
}
