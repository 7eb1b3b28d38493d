package dev.streams.core.internal;

import dev.streams.core.Event;
import dev.streams.core.Gap;
import dev.streams.core.TimedEventLoop;
import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One event loop's share of the fan-out. A publisher posts each event (or gap) once per loop that has
 * subscribers of its topic, with those subscribers; one task on the loop then hands it to each of them, so a
 * delivery costs no task, no wake-up and no contended lock of its own (see
 * {@link QueuedSubscription#offerOnLoop}). What a client does not read waits in its subscription's own bounded
 * queue, under its overflow policy, as before.
 *
 * <p>Bounded: a loop may fall behind its publishers (overload, a blocked loop) by at most {@link #bound()} posts,
 * the largest queue bound of its subscriptions and at least {@link #MIN_BACKLOG}. Past that, a topic's further
 * events are not posted but counted in one drop run per topic, posted in their place: the loop tells each
 * subscriber as a {@code QUEUE_OVERFLOW} gap exactly where the events went missing, and ends those whose policy
 * is DISCONNECT. Nothing is lost without a word, and memory stays bounded however far the loop falls behind.
 *
 * <p>Concurrency: publishers post under their topic's monitor, which orders one topic's posts (and its drop
 * runs); the queue keeps that order. {@link #run} is the only consumer and runs on the loop, one run at a time
 * (the {@code wip} counter, as in {@link QueuedSubscription}); a run hands over at most {@link #POSTS_PER_RUN}
 * posts and then queues itself again, so a flood of events never keeps the loop from its I/O. A drop run is
 * closed by the loop as it takes it; a publisher adds to it only while it is open (see {@link DropRun}).
 */
final class LoopInbox implements Runnable {
    private static final System.Logger LOG = System.getLogger(LoopInbox.class.getName());
    private static final int POSTS_PER_RUN = 64;
    /** The least backlog a loop may have before its publishers drop. */
    static final int MIN_BACKLOG = 1024;

    /** {@link #post}'s {@code sampledAt} for an event that is not timed. */
    static final long NOT_SAMPLED = Long.MIN_VALUE;

    /**
     * An event, a gap, a drop run or a sampled event, the loop's subscribers it goes to, and those that must skip
     * it (or null).
     */
    private record Post(Object item, QueuedSubscription[] targets, QueuedSubscription[] skip) {
    }

    /** An event whose fan-out a {@link TimedEventLoop} times: one in {@link TimedEventLoop#SAMPLE_EVERY}. */
    private record Sampled(Event event, long fanOutNanos) {
    }

    /**
     * Events of one topic (and epoch) that a loop too far behind did not take, counted until the loop reaches
     * this run in its queue, where the missed events would have been.
     */
    static final class DropRun {
        final String topic;
        final long epoch;
        /** Missed so far; negative once the loop took the run (closed: a further drop starts a new run). */
        private final AtomicLong count = new AtomicLong(1);

        DropRun(String topic, long epoch) {
            this.topic = topic;
            this.epoch = epoch;
        }

        /** Counts one more missed event; false when the loop already took this run. */
        boolean add() {
            long c;
            do {
                c = count.get();
                if (c < 0) {
                    return false;
                }
            } while (!count.compareAndSet(c, c + 1));
            return true;
        }

        /** The loop takes the run: the final count; later drops go to a new run. */
        long close() {
            return count.getAndSet(Long.MIN_VALUE);
        }
    }

    private final Executor loop;
    /** The loop, when it times sampled fan-outs; null otherwise. */
    private final TimedEventLoop timed;
    private final ConcurrentLinkedQueue<Post> posts = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicInteger backlog = new AtomicInteger();
    private volatile int bound = MIN_BACKLOG;

    LoopInbox(Executor loop) {
        this.loop = loop;
        this.timed = loop instanceof TimedEventLoop t ? t : null;
    }

    /** A subscription on this loop joined: the backlog may grow to its queue bound. */
    void admit(int maxQueuedEvents) {
        if (maxQueuedEvents > bound) {
            synchronized (this) {
                bound = Math.max(bound, maxQueuedEvents);
            }
        }
    }

    /** Posts this loop may have waiting before its publishers drop. */
    int bound() {
        return bound;
    }

    /**
     * Whether this loop has more than half of {@link #bound()} posts waiting: it is falling behind its publishers,
     * and a publisher that can wait (a network client, whose socket need not be read) should, before it drops.
     */
    boolean behind() {
        return backlog.get() > bound / 2;
    }

    /**
     * Hands {@code event} to {@code targets} on the loop, except to those in {@code skip} (subscriptions that
     * just replayed the topic, event included). Under the event's topic monitor; never blocks. Past the bound the
     * event is counted in {@code open}, the topic's open drop run here, or in a new one; returns the run the
     * topic now has open (null when the event was posted). {@code sampledAt}: when the event's fan-out began, for a
     * loop that times it, or {@link #NOT_SAMPLED}.
     */
    DropRun post(Event event, QueuedSubscription[] targets, QueuedSubscription[] skip, DropRun open, long sampledAt) {
        if (backlog.get() < bound) {
            Object item = sampledAt == NOT_SAMPLED || timed == null ? event : new Sampled(event, sampledAt);
            enqueue(new Post(item, targets, skip));
            return null;
        }
        if (open != null && open.epoch == event.epoch() && open.add()) {
            return open;
        }
        DropRun run = new DropRun(event.topic(), event.epoch());
        enqueue(new Post(run, skip == null ? targets : without(targets, skip), null));
        return run;
    }

    /** Tells {@code targets} of a hole, in order with the topic's events. */
    void post(Gap gap, QueuedSubscription[] targets) {
        enqueue(new Post(gap, targets, null));
    }

    private void enqueue(Post post) {
        posts.offer(post);
        backlog.incrementAndGet();
        if (wip.getAndIncrement() == 0) {
            try {
                loop.execute(this);
            } catch (RuntimeException rejected) {
                // The loop is shutting down: its connections are closing, and with them these subscriptions.
                LOG.log(Level.DEBUG, "event loop refused the fan-out; its subscriptions are ending", rejected);
                posts.clear();
                backlog.set(0);
                wip.set(0);
            }
        }
    }

    @Override
    public void run() {
        int missed = 1;
        int handed = 0;
        while (true) {
            Post post;
            while ((post = posts.poll()) != null) {
                backlog.decrementAndGet();
                hand(post);
                if (++handed == POSTS_PER_RUN) {
                    // wip stays raised, so posters leave the scheduling to this: the next run goes on from here.
                    loop.execute(this);
                    return;
                }
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    private void hand(Post post) {
        Object item = post.item();
        if (item instanceof Event event) {
            handEvent(post, event);
        } else if (item instanceof Sampled sampled) {
            handEvent(post, sampled.event());
            try {
                timed.handedSample(sampled.fanOutNanos());
            } catch (RuntimeException e) {
                // A timer's failure must not cost the loop's later posts.
                LOG.log(Level.WARNING, "event loop failed to time a sampled fan-out", e);
            }
        } else if (item instanceof DropRun run) {
            Gap missed = new Gap(run.topic, run.epoch, run.close(), Gap.Cause.QUEUE_OVERFLOW);
            for (QueuedSubscription sub : post.targets()) {
                sub.missedOnLoop(missed);
            }
        } else {
            for (QueuedSubscription sub : post.targets()) {
                sub.gapOnLoop((Gap) item);
            }
        }
    }

    private static void handEvent(Post post, Event event) {
        QueuedSubscription[] skip = post.skip();
        int deliveredNow = 0;
        QueuedSubscription counter = null;
        for (QueuedSubscription sub : post.targets()) {
            if (skip == null || !TopicDelivery.contains(skip, sub)) {
                if (sub.offerOnLoop(event)) {
                    deliveredNow++;
                    counter = sub;
                }
            }
        }
        if (counter != null) {
            // A post's subscriptions are one topic's, so one project's: one counter update for all of them.
            counter.countDelivered(deliveredNow);
        }
    }

    private static QueuedSubscription[] without(QueuedSubscription[] all, QueuedSubscription[] skip) {
        return java.util.Arrays.stream(all).filter(s -> !TopicDelivery.contains(skip, s)).toArray(QueuedSubscription[]::new);
    }
}
