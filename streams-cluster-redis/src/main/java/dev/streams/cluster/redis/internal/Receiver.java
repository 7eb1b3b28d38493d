package dev.streams.cluster.redis.internal;

import dev.streams.core.ClusterEngine;
import dev.streams.core.Event;
import dev.streams.core.Position;
import dev.streams.core.StreamsException;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Takes the cluster's events from the pattern subscription and applies them to this node's broker, in the
 * order Redis published them, on one thread of its own (never on Lettuce's I/O thread, since applying may
 * read the recovery stream).
 *
 * <p>How nothing is lost silently: a node can miss messages when its pub/sub connection drops (Redis or the
 * network, or Redis disconnecting a slow subscriber) or when this inbox is full. The broker notices the
 * offset discontinuity on the topic's next event and this refills from the recovery stream; topics that get
 * no next event are caught up after every (re)subscription and after an inbox overflow, by comparing each
 * topic held here with the authority. What the stream no longer has is applied as a counted loss, which the
 * broker tells the topic's subscribers.
 */
public final class Receiver extends RedisPubSubAdapter<byte[], byte[]> implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Receiver.class.getName());
    private static final Object CATCH_UP = new Object();

    private record Message(String project, byte[] bytes) {
    }

    private final Keys keys;
    private final String nodeName;
    private final Recovery recovery;
    private final ArrayBlockingQueue<Object> inbox;
    private final Thread thread;
    private final LongAdder refilled = new LongAdder();
    private final LongAdder lost = new LongAdder();
    private final LongAdder lostMessages = new LongAdder();
    private final LongAdder overflows = new LongAdder();
    private final LongAdder catchUps = new LongAdder();
    private volatile ClusterEngine.Node node;
    /** The number of the last cluster message applied here; the receiving thread's alone once started. */
    private long applied;
    private volatile boolean overflowed;
    private volatile boolean closed;

    public Receiver(Keys keys, String nodeName, Recovery recovery, int inboxCapacity, String threadName) {
        this.keys = keys;
        this.nodeName = nodeName;
        this.recovery = recovery;
        this.inbox = new ArrayBlockingQueue<>(inboxCapacity);
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    /**
     * Starts applying; {@code sequence} is the number of the last message published before this node began
     * listening, so that every later one is either received or read back from the log.
     */
    public void start(ClusterEngine.Node node, long sequence) {
        this.node = node;
        this.applied = sequence;
        thread.start();
    }

    @Override
    public void message(byte[] pattern, byte[] channel, byte[] message) {
        String project = keys.projectOf(channel);
        if (project == null) {
            return;
        }
        if (!inbox.offer(new Message(project, message))) {
            // Dropped here, refilled from the recovery streams once the inbox has room.
            overflowed = true;
            overflows.increment();
        }
    }

    /** Every (re)subscription: what was published while this node was not subscribed is caught up. */
    @Override
    public void psubscribed(byte[] pattern, long count) {
        catchUpSoon();
    }

    private void catchUpSoon() {
        if (!inbox.offer(CATCH_UP)) {
            overflowed = true;
        }
    }

    public int depth() {
        return inbox.size();
    }

    public long refilled() {
        return refilled.sum();
    }

    public long lost() {
        return lost.sum();
    }

    /** Cluster messages this node missed and the log no longer had. */
    public long lostMessages() {
        return lostMessages.sum();
    }

    public long overflows() {
        return overflows.sum();
    }

    public long catchUps() {
        return catchUps.sum();
    }

    private void run() {
        while (!closed) {
            Object next;
            try {
                next = inbox.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                if (next == CATCH_UP) {
                    catchUp();
                } else {
                    Message m = (Message) next;
                    EventCodec.Batch batch = EventCodec.message(m.project, m.bytes);
                    if (batch.sequence() > applied + 1) {
                        replayLog(batch.sequence() - 1);
                    }
                    apply(batch);
                }
                if (overflowed && inbox.isEmpty()) {
                    overflowed = false;
                    catchUp();
                }
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "applying cluster events failed; catching up", e);
                    overflowed = true;
                }
            }
        }
    }

    /** Applies one message, unless it was applied already (read back from the log). */
    private void apply(EventCodec.Batch batch) {
        if (batch.sequence() <= applied) {
            return;
        }
        boolean acceptedHere = batch.origin().equals(nodeName);
        for (Event event : batch.events()) {
            apply(event, acceptedHere);
        }
        applied = batch.sequence();
    }

    /**
     * Reads the messages this node missed, up to {@code to}, back from the cluster's log and applies them in
     * order. Messages the log no longer has are counted; their topics that this node holds are refilled from
     * their recovery streams when their next event shows the hole (or at the next catch-up).
     */
    private void replayLog(long to) {
        List<EventCodec.Batch> missed;
        try {
            missed = recovery.messages(applied + 1, to);
        } catch (StreamsException unreachable) {
            missed = List.of();
        }
        for (EventCodec.Batch batch : missed) {
            if (batch.sequence() > applied + 1) {
                lostMessages.add(batch.sequence() - applied - 1);
            }
            refilled.add(batch.events().size());
            apply(batch);
        }
        if (to > applied) {
            lostMessages.add(to - applied);
            applied = to;
        }
    }

    /** Applies one event, first refilling what this node missed before it. */
    private void apply(Event event, boolean acceptedHere) {
        long missingFrom = node.apply(event, false, acceptedHere);
        if (missingFrom == 0) {
            return;
        }
        refill(event.project(), event.topic(), event.epoch(), missingFrom, event.offset() - 1);
        node.apply(event, true, acceptedHere);
    }

    /** Applies what the recovery stream has of [from, to]; what it lacks is applied as a counted loss. */
    private void refill(String project, String topic, long epoch, long from, long to) {
        List<Recovery.Recovered> found;
        try {
            found = recovery.read(project, topic, epoch, from, to);
        } catch (StreamsException unreachable) {
            found = List.of();
        }
        long expected = from;
        for (Recovery.Recovered r : found) {
            Event e = r.event();
            if (e.offset() > expected) {
                lost.add(e.offset() - expected);
            }
            node.apply(e, true, r.origin().equals(nodeName));
            expected = e.offset() + 1;
        }
        refilled.add(found.size());
        if (to >= expected) {
            lost.add(to - expected + 1);
        }
    }

    /** Compares every topic held here with the authority and refills the ones behind it. */
    private void catchUp() {
        catchUps.increment();
        long published = recovery.sequence();
        if (published > applied) {
            replayLog(published);
        } else if (published < applied) {
            // Redis started over (restarted empty): numbers start again.
            applied = published;
        }
        List<Recovery.TopicAt> held = new ArrayList<>();
        node.forEachTopic((project, topic, last) -> held.add(new Recovery.TopicAt(project, topic, last)));
        if (held.isEmpty()) {
            return;
        }
        List<Position> authority = recovery.positions(held);
        for (int i = 0; i < held.size(); i++) {
            Position here = held.get(i).position();
            Position there = authority.get(i);
            if (there == null) {
                continue;
            }
            String project = held.get(i).project();
            String topic = held.get(i).topic();
            if (there.epoch() == here.epoch() && there.offset() > here.offset()) {
                refill(project, topic, here.epoch(), here.offset() + 1, there.offset());
            } else if (there.epoch() != here.epoch()) {
                // A topic this node knew nothing of yet, or one the authority started over: its whole epoch.
                refill(project, topic, there.epoch(), 1, there.offset());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
