package dev.streams.core.internal;

import dev.streams.core.ClusterEngine;
import dev.streams.core.Event;
import dev.streams.core.Position;
import dev.streams.core.TopicHistory;
import java.util.ArrayList;
import java.util.List;

/**
 * One topic's history on a cluster node: the node's own history (a ring, in front) and behind it the cluster
 * engine's recovery log. A cursor the ring no longer covers is served from the log, so a client that
 * reconnects to another node, or resumes from before this node started, gets no gap the cluster could fill.
 * Positions (epoch and offsets) are the engine's: the history starts where the engine's authority stands and
 * follows it ({@link #moveTo}).
 *
 * <p>Called under the topic's lock, like every history; {@link #readAfter} may block on the engine's I/O,
 * which is why a clustered broker never makes a subscription that replays on an I/O thread.
 */
final class ClusterTopicHistory implements TopicHistory {
    private final TopicHistory local;
    private final ClusterEngine engine;
    private final String project;
    private final String topic;

    ClusterTopicHistory(TopicHistory local, ClusterEngine engine, String project, String topic,
                        Position authority) {
        this.local = local;
        this.engine = engine;
        this.project = project;
        this.topic = topic;
        if (authority != null) {
            local.moveTo(authority.epoch(), authority.offset());
        }
    }

    @Override
    public long epoch() {
        return local.epoch();
    }

    @Override
    public long lastOffset() {
        return local.lastOffset();
    }

    /** As far back as the node's history goes; what the recovery log adds is found when a cursor asks for it. */
    @Override
    public long firstOffset() {
        return local.firstOffset();
    }

    @Override
    public long lastTimestampNanos() {
        return local.lastTimestampNanos();
    }

    @Override
    public void append(Event event) {
        local.append(event);
    }

    @Override
    public void appendStoredElsewhere(Event event) {
        local.appendStoredElsewhere(event);
    }

    @Override
    public void expire(long nowNanos) {
        local.expire(nowNanos);
    }

    @Override
    public void moveTo(long epoch, long lastOffset) {
        local.moveTo(epoch, lastOffset);
    }

    /**
     * The node's events after {@code offset}, with the holes among them (before the first, between two, after
     * the last) filled from the recovery log where it still has them. A node's own history has holes when it
     * started after the cursor, or was down while a per-node store missed events.
     */
    @Override
    public List<Event> readAfter(long offset) {
        return withHolesFilled(local.readAfter(offset), local.epoch(), offset + 1, local.lastOffset() + 1);
    }

    /**
     * {@code held} (events of {@code epoch} from {@code expected} on, below {@code end}) with the holes among
     * them filled from the recovery log where it still has them.
     */
    private List<Event> withHolesFilled(List<Event> held, long epoch, long expected, long end) {
        List<Event> joined = null;
        for (int i = 0; i <= held.size(); i++) {
            long next = i < held.size() ? held.get(i).offset() : end;
            if (next > expected) {
                if (joined == null) {
                    joined = new ArrayList<>(held.subList(0, i));
                }
                List<Event> recovered = engine.recover(project, topic, epoch, expected, next - 1);
                if (!recovered.isEmpty() && recovered.get(recovered.size() - 1).offset() == next - 1) {
                    joined.addAll(recovered);
                }
            }
            if (i < held.size()) {
                if (joined != null) {
                    joined.add(held.get(i));
                }
                expected = held.get(i).offset() + 1;
            }
        }
        return joined != null ? joined : held;
    }

    /**
     * The node's stored events (when its history has a store it reads without the lock) with the holes among
     * them filled from the recovery log: the engine is asked with no topic lock held, so a slow recovery holds
     * up neither the topic's publishes nor the engine's apply thread.
     */
    @Override
    public boolean readsStoredWithoutLock() {
        return true;
    }

    @Override
    public long memoryStart() {
        return local.memoryStart();
    }

    @Override
    public List<Event> readStoredRange(long epoch, long fromOffset, long toOffset, int max) {
        List<Event> held = local.readsStoredWithoutLock() ? local.readStoredRange(epoch, fromOffset, toOffset, max)
                : List.of();
        return withHolesFilled(held, epoch, fromOffset, toOffset + 1);
    }

    /** The node's own, as {@link #readSince}: the recovery log is read by offset only. */
    @Override
    public List<Event> readStoredSince(long epoch, long timestampNanos, long toOffset) {
        return local.readsStoredWithoutLock() ? local.readStoredSince(epoch, timestampNanos, toOffset) : List.of();
    }

    /**
     * When the node's memory holds every event after {@code offset}: memory is contiguous from its start (a move
     * to the engine's position empties it), so only a cursor from before that start may meet a hole the
     * recovery log fills.
     */
    @Override
    public boolean readsAfterInMemory(long offset) {
        return offset + 1 >= local.memoryStart() && local.readsAfterInMemory(offset);
    }

    @Override
    public boolean readsSinceInMemory(long timestampNanos) {
        return local.readsSinceInMemory(timestampNanos);
    }

    @Override
    public boolean readsLastInMemory(int count) {
        return local.readsLastInMemory(count);
    }

    @Override
    public List<Event> readSince(long timestampNanos) {
        return local.readSince(timestampNanos);
    }

    @Override
    public List<Event> readLast(int count) {
        return local.readLast(count);
    }

    @Override
    public long retainedBytes() {
        return local.retainedBytes();
    }

    @Override
    public boolean dropOldest() {
        return local.dropOldest();
    }

    @Override
    public boolean holdsMemory() {
        return local.holdsMemory();
    }

    @Override
    public List<Event> readEarlierEpochAfter(Position position) {
        return local.readEarlierEpochAfter(position);
    }
}
