package dev.streams.core.internal;

import dev.streams.core.CloseReason;
import dev.streams.core.Event;
import dev.streams.core.Gap;
import dev.streams.core.OverflowPolicy;
import dev.streams.core.SubscribeOptions;
import dev.streams.core.Subscription;
import dev.streams.core.SubscriptionListener;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * A subscription's bounded queue of event references and its drain loop. Publishers {@link #offer} under
 * their topic's lock and never wait; the drain runs on the subscription's executor, one run at a time, so
 * listener calls never overlap ({@link SerialDrain}). Gaps are delivered before the queued events, which are
 * all newer.
 *
 * <p>On its own event loop a subscription that owes nothing delivers without its monitor ({@link #offerOnLoop}):
 * the common case of live traffic, one event per delivery to thousands of subscriptions. Three facts make that
 * safe without a lock. {@link #clear} is written only under the monitor and says nothing waits to go (no queued
 * event, no gap, no close). Other threads only ever make the subscription less clear (they queue, record a gap or
 * close it) or add demand ({@link DemandedDrain}); they never take it away. And only the loop delivers or drains.
 * A fast delivery is therefore one that the locked check, made at the moment {@code clear} was read, would also
 * have let through. A drain that runs or is due (events taken out, being delivered) holds the fast path off.
 */
public class QueuedSubscription extends DemandedDrain implements Subscription {
    private static final System.Logger LOG = System.getLogger(QueuedSubscription.class.getName());
    private static final int BATCH = 64;

    private final ProjectState project;
    private final String pattern; // interned: the subscriptions of many connections share one
    private final SubscriptionListener listener;
    /** The inbox of the event loop this subscription runs on, or null when it runs on another executor. */
    final LoopInbox inbox;
    private final OverflowPolicy policy;
    private final int maxEvents;
    private final long maxBytes;

    // Guarded by "this". Lock order: a topic's lock, then the pattern index's, then this monitor; never the
    // reverse, and no listener runs while it is held.
    /** Null until an event must wait: most subscriptions of idle connections never queue one (48 bytes each). */
    private ArrayDeque<Event> queue;
    /** Null until a hole is owed. */
    private GapLedger gaps;
    private long queuedBytes;
    private long dropped;
    private CloseReason closing;
    private boolean drainBeforeClose;
    private boolean closeDelivered;
    /** Nothing is queued, no gap is owed and no close is pending. Written under "this", read by the fast path. */
    private volatile boolean clear = true;

    QueuedSubscription(ProjectState project, String pattern, SubscriptionListener listener,
                       SubscribeOptions options, Executor defaultExecutor) {
        super(options.executor() != null ? options.executor() : defaultExecutor, options.manualDemand());
        this.project = project;
        this.pattern = pattern.intern();
        this.listener = listener;
        this.inbox = options.onEventLoop() ? project.inboxes.admit(executor, options.maxQueuedEvents()) : null;
        this.policy = options.overflowPolicy();
        this.maxEvents = options.maxQueuedEvents();
        this.maxBytes = options.maxQueuedBytes();
    }

    /** Queues an event; applies the overflow policy when full. Never blocks on the subscriber. */
    final void offer(Event event) {
        if (enqueue(event)) {
            signal();
        }
    }

    /**
     * On this subscription's own event loop, from its {@link LoopInbox}: delivers the event at once when nothing
     * waits before it (nothing queued, no gap owed, no drain pending) and it has demand; queues it and drains here
     * otherwise. No task is handed to the loop and the monitor is never contended. Returns whether it delivered at
     * once, which the caller counts for all the loop's subscriptions together ({@link #countDelivered}).
     * The check takes no lock (see the class comment).
     */
    final boolean offerOnLoop(Event event) {
        if (clear && drainIdle() && demand() > 0) {
            consume(1);
            deliver(event);
            return true;
        }
        if (enqueue(event)) {
            drainHere();
        }
        return false;
    }

    /** Counts deliveries that {@link #offerOnLoop} made at once, for this subscription's project. */
    final void countDelivered(int deliveries) {
        project.counters.delivered.add(deliveries);
    }

    /**
     * On this subscription's own event loop, from its inbox: the loop fell so far behind its publishers that it
     * dropped {@code missed} events of a topic for all its subscriptions ({@link LoopInbox}). Counted as overflow
     * drops; a subscription whose policy is DISCONNECT ends instead, as when its own queue overflows.
     */
    final void missedOnLoop(Gap missed) {
        boolean disconnected = false;
        synchronized (this) {
            if (closing != null) {
                return;
            }
            if (policy == OverflowPolicy.DISCONNECT) {
                terminateLocked(CloseReason.SLOW_CONSUMER, false);
                disconnected = true;
            } else {
                gaps().add(missed);
                dropped += missed.missed();
            }
        }
        if (disconnected) {
            project.counters.slowDisconnects.increment();
            project.unregister(this);
        } else {
            project.counters.dropped.add(missed.missed());
        }
        drainHere();
    }

    /** On this subscription's own event loop, from its inbox: records a hole and drains here. */
    final void gapOnLoop(Gap gap) {
        synchronized (this) {
            if (closing != null) {
                return;
            }
            gaps().add(gap);
        }
        drainHere();
    }

    /** Queues under the overflow policy; false when the subscription had already ended (nothing to drain). */
    private boolean enqueue(Event event) {
        long size = event.sizeInBytes();
        boolean disconnected = false;
        synchronized (this) {
            if (closing != null) {
                return false;
            }
            while (queued() > 0 && (queue.size() >= maxEvents || queuedBytes + size > maxBytes)) {
                if (policy == OverflowPolicy.DISCONNECT) {
                    terminateLocked(CloseReason.SLOW_CONSUMER, false);
                    disconnected = true;
                    break;
                }
                Event old = queue.poll();
                queuedBytes -= old.sizeInBytes();
                dropped++;
                gaps().dropped(old);
                project.counters.dropped.increment();
            }
            if (closing == null) {
                if (queue == null) {
                    queue = new ArrayDeque<>(4);
                }
                clear = false;
                queue.add(event);
                queuedBytes += size;
            }
        }
        if (disconnected) {
            project.counters.slowDisconnects.increment();
            project.unregister(this);
        }
        return true;
    }

    /**
     * Called by a publisher under {@code topic}'s lock, after appending the event being published: true when
     * this call replayed the topic's history (which holds that event), so the publisher must not offer it
     * again. Only a starting pattern subscription replays this way.
     */
    boolean activateFor(TopicState topic) {
        return false;
    }

    /** Records a hole before the events that follow it; same-topic, same-cause holes add up. */
    final void gap(Gap gap) {
        synchronized (this) {
            if (closing != null) {
                return;
            }
            gaps().add(gap);
        }
        signal();
    }

    @Override
    final boolean mayWait() {
        return !clear;
    }

    @Override
    public void cancel() {
        terminate(CloseReason.CANCELLED, false);
    }

    /** Ends the subscription; with {@code drainFirst} whatever is queued is delivered before onClose. */
    final void terminate(CloseReason reason, boolean drainFirst) {
        synchronized (this) {
            if (closing != null) {
                return;
            }
            terminateLocked(reason, drainFirst);
        }
        project.unregister(this);
        signal();
    }

    private void terminateLocked(CloseReason reason, boolean drainFirst) {
        closing = reason;
        clear = false;
        drainBeforeClose = drainFirst;
        if (!drainFirst) {
            queue = null;
            gaps = null;
            queuedBytes = 0;
        }
    }

    private int queued() {
        return queue == null ? 0 : queue.size();
    }

    /** The ledger, to record a hole in: the subscription is no longer clear. Under "this". */
    private GapLedger gaps() {
        clear = false;
        if (gaps == null) {
            gaps = new GapLedger();
        }
        return gaps;
    }

    /** Under "this", after something was taken to be delivered: clear again when nothing else waits. */
    private void recheckClear() {
        clear = closing == null && queued() == 0 && (gaps == null || gaps.isEmpty());
    }

    /** Delivers one step (pending gaps, a batch of events, or the close); false when nothing can go now. */
    @Override
    final boolean deliverSome() {
        Gap gap = null;
        int count = 0;
        // Live traffic mostly finds one event queued: that one needs no array. A burst gets one of its size
        // (a fixed 64-slot array per drain run was a quarter-kilobyte of garbage per subscriber per event).
        Event single = null;
        Event[] batch = null;
        CloseReason close = null;
        synchronized (this) {
            if (closeDelivered) {
                return false;
            }
            if (closing != null && !drainBeforeClose) {
                close = closing;
            } else if (gaps != null && (gap = gaps.poll()) != null) {
                // delivered below, before the queued events, which all follow the hole
                recheckClear();
            } else if (queued() > 0 && demand() > 0) {
                count = (int) Math.min(BATCH, Math.min(demand(), queue.size()));
                if (count == 1) {
                    single = queue.poll();
                    queuedBytes -= single.sizeInBytes();
                } else {
                    batch = new Event[count];
                    for (int i = 0; i < count; i++) {
                        Event e = queue.poll();
                        queuedBytes -= e.sizeInBytes();
                        batch[i] = e;
                    }
                }
                consume(count);
                recheckClear();
            } else if (closing != null && queued() == 0) {
                close = closing;
            } else {
                return false;
            }
            if (close != null) {
                closeDelivered = true;
            }
        }
        if (close != null) {
            try {
                listener.onClose(close);
            } catch (RuntimeException e) {
                listenerFailed(e);
            }
            return false;
        }
        if (gap != null) {
            try {
                listener.onGap(gap);
            } catch (RuntimeException e) {
                listenerFailed(e);
            }
            return true;
        }
        if (single != null) {
            deliver(single);
        } else {
            for (int i = 0; i < count; i++) {
                deliver(batch[i]);
            }
        }
        project.counters.delivered.add(count);
        return true;
    }

    private void deliver(Event event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            listenerFailed(e);
        } catch (Error e) {
            // Not rethrown: it would end this drain with its work counter still raised, and the subscription
            // would never deliver again without a word. It ends, with a reason, once what was taken is through.
            LOG.log(Level.ERROR, "subscription listener for " + pattern + " failed; the subscription ends", e);
            terminate(CloseReason.LISTENER_FAILED, false);
        }
    }

    private void listenerFailed(RuntimeException e) {
        LOG.log(Level.WARNING, "subscription listener for " + pattern + " threw; delivery continues", e);
    }

    /** Drops whatever is still queued so that the pending close is delivered next. */
    public final void abandonQueue() {
        synchronized (this) {
            drainBeforeClose = false;
            queue = null;
            gaps = null;
            queuedBytes = 0;
        }
        signal();
    }

    /** Whether onClose has been delivered. */
    public final synchronized boolean isFinished() {
        return closeDelivered;
    }

    @Override
    public String project() {
        return project.name();
    }

    @Override
    public String pattern() {
        return pattern;
    }

    @Override
    public synchronized boolean isActive() {
        return closing == null;
    }

    @Override
    public synchronized long droppedCount() {
        return dropped;
    }

    @Override
    public synchronized int queuedEvents() {
        return queued();
    }

    @Override
    public String toString() {
        return "Subscription[" + project.name() + '/' + pattern + ']';
    }
}
