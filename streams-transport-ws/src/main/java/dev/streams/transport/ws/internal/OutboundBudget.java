package dev.streams.transport.ws.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bytes waiting in all of one server's outbound buffers, against one bound. Each connection is bounded on its
 * own ({@code maxOutboundBytes}), but a thousand clients that read slowly would still hold a thousand times that:
 * past this budget every session stops pulling events, as it does when its own channel is not writable, so events
 * wait in the subscriptions' bounded queues where their overflow policies apply, and memory stays bounded.
 *
 * <p>Concurrency: each connection counts its own bytes on its event loop ({@link FrameBatcher} re-reads its
 * channel's pending bytes after each flush and when what it wrote has gone out) and adds the difference here, so
 * a client that keeps up never touches the shared counter. A session that finds the budget spent parks itself;
 * the first release that brings the total under three quarters of the bound wakes the parked sessions, each on its
 * own event loop. Parking re-checks after enqueuing, so a release racing with a park never leaves a session asleep.
 */
public final class OutboundBudget {
    private final long limit;
    private final long resumeBelow;
    private final AtomicLong pending = new AtomicLong();
    private final Queue<Session> parked = new ConcurrentLinkedQueue<>();
    private final LongAdder waits = new LongAdder();

    public OutboundBudget(long limit) {
        this.limit = limit;
        this.resumeBelow = limit - limit / 4;
    }

    /** Adds (or with a negative delta, releases) bytes a connection holds in its outbound buffer. */
    void adjust(long delta) {
        long now = pending.addAndGet(delta);
        if (delta < 0 && now < resumeBelow && !parked.isEmpty()) {
            wakeAll();
        }
    }

    /**
     * Whether {@code session} may pull more events now; if not, it is parked and told through
     * {@link Session#writabilityChanged} once there is room again. Event loop of the session.
     */
    boolean hasRoom(Session session) {
        if (pending.get() < limit) {
            return true;
        }
        if (session.parkForBudget()) {
            waits.increment();
            parked.add(session);
            if (pending.get() < resumeBelow) {
                wakeAll();
            }
        }
        return false;
    }

    private void wakeAll() {
        for (Session session = parked.poll(); session != null; session = parked.poll()) {
            session.channelExecute(session::budgetFreed);
        }
    }

    /** Bytes waiting in outbound buffers now. */
    public long pendingBytes() {
        return pending.get();
    }

    /** The bound. */
    public long limit() {
        return limit;
    }

    /** Times a session found the budget spent and stopped pulling. */
    public long waits() {
        return waits.sum();
    }
}
