package dev.streams.history.internal;

import dev.streams.core.ErrorKind;
import dev.streams.core.Event;
import dev.streams.core.HistoryLimits;
import dev.streams.core.Position;
import dev.streams.core.StreamsException;
import dev.streams.core.TopicHistory;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * One topic's durable history: the events in the database, and in front of them a hot ring in memory that
 * holds the newest events (within the hot-cache limits) and every event not yet committed, so that reads join
 * the two with no hole. Resumes from recent cursors are served from the ring; older ones read the database,
 * at most {@code readLimit} events at a time (the broker reports what a read leaves out as a gap).
 *
 * <p>Concurrency: the broker calls every method under the topic's lock; the writer thread only moves
 * {@link #committed} forward and sets {@link #epochStored}, both volatile.
 */
public final class DurableTopicHistory implements TopicHistory {
    private final String project;
    private final String topic;
    /** The broker's lock guards changes ({@link #moveTo}); volatile for the writer thread's reads. */
    private volatile long epoch;
    private final Database db;
    private final Writer writer;
    private final HistoryLimits hotLimits;
    private final long hotMaxAgeNanos;
    private final int readLimit;
    private final LongSupplier retentionVersion;
    private final ArrayDeque<Event> hot = new ArrayDeque<>();
    private long hotBytes;
    private long lastOffset;
    private long lastTimestampNanos;
    private long storedFirst;
    private long storedFirstVersion;
    private volatile long committed;
    private volatile boolean epochStored;
    /** The database's numbers for this topic and its project; 0 until the topic's row is stored. */
    private volatile long projectId;
    private volatile long topicId;

    DurableTopicHistory(String project, String topic, long epoch, long projectId, long topicId, long storedFirst,
                        long lastOffset, long lastTimestampNanos, Database db, Writer writer, HistoryLimits hotLimits,
                        int readLimit, LongSupplier retentionVersion) {
        this.project = project;
        this.topic = topic;
        this.epoch = epoch;
        this.projectId = projectId;
        this.topicId = topicId;
        this.epochStored = topicId != 0;
        this.lastOffset = lastOffset;
        this.committed = lastOffset;
        this.lastTimestampNanos = lastTimestampNanos;
        this.db = db;
        this.writer = writer;
        this.hotLimits = hotLimits;
        this.hotMaxAgeNanos = hotLimits.maxAgeNanos();
        this.readLimit = readLimit;
        this.retentionVersion = retentionVersion;
        this.storedFirst = storedFirst;
        this.storedFirstVersion = retentionVersion.getAsLong();
    }


    String project() {
        return project;
    }

    String topic() {
        return topic;
    }

    boolean epochStored() {
        return epochStored;
    }

    long projectId() {
        return projectId;
    }

    long topicId() {
        return topicId;
    }

    /** The writer stored this topic's row with its epoch; these are its ids. */
    void stored(long projectId, long topicId) {
        this.projectId = projectId;
        this.topicId = topicId;
        this.epochStored = true;
    }

    /** The writer committed this topic's events of {@code epoch} up to {@code offset}. */
    void committed(long epoch, long offset) {
        if (epoch == this.epoch && offset > committed) {
            committed = offset;
        }
    }

    /**
     * Follows a cluster's authority: the epoch and last offset become the given ones. The hot ring is
     * emptied, since its events no longer join the new position with no hole; those not committed yet are
     * still on their way to the database, which keeps every epoch's rows. Reads look the database's first
     * offset up again.
     */
    @Override
    public void moveTo(long epoch, long lastOffset) {
        hot.clear();
        hotBytes = 0;
        this.epoch = epoch;
        this.lastOffset = lastOffset;
        this.committed = lastOffset;
        this.storedFirstVersion = Long.MIN_VALUE;
    }

    @Override
    public long epoch() {
        return epoch;
    }

    @Override
    public long lastOffset() {
        return lastOffset;
    }

    @Override
    public long lastTimestampNanos() {
        return lastTimestampNanos;
    }

    @Override
    public long firstOffset() {
        long first = Math.min(storedFirst(), hot.isEmpty() ? Long.MAX_VALUE : hot.peekFirst().offset());
        return first == Long.MAX_VALUE || first > lastOffset ? lastOffset + 1 : first;
    }

    /**
     * The first offset the database has or will have (everything from the ring's start on is in the ring or
     * committed), looked up again only after retention ran.
     */
    private long storedFirst() {
        long version = retentionVersion.getAsLong();
        if (version != storedFirstVersion) {
            try {
                long inDatabase = topicId == 0 ? Long.MAX_VALUE : db.firstOffset(topicId, epoch);
                storedFirst = Math.min(inDatabase, hotFirst());
            } catch (SQLException e) {
                throw unavailable(e);
            }
            storedFirstVersion = version;
        }
        return storedFirst;
    }

    @Override
    public void append(Event event) {
        switch (writer.offer(this, event)) {
            case QUEUED -> { }
            case PROJECT_FULL -> throw new StreamsException(ErrorKind.LIMIT_EXCEEDED, "project " + project
                    + " has its share of the history store's queue waiting to be written; try again");
            // The store's own error text is for the operator (logs, the history status), never the client.
            case FULL -> throw new StreamsException(ErrorKind.UNAVAILABLE, writer.healthy()
                    ? "the history store is behind; try again" : writer.clientReason());
        }
        keep(event);
    }

    /**
     * Another node of the cluster writes this event to the shared database: it is kept in the ring for reads
     * and counted as committed, so the ring may let go of it like of one this node wrote. (Until that node's
     * commit lands, a read of the database that needs it reports it as a gap rather than inventing it.)
     */
    @Override
    public void appendStoredElsewhere(Event event) {
        keep(event);
        committed(event.epoch(), event.offset());
    }

    private void keep(Event event) {
        hot.addLast(event);
        hotBytes += event.sizeInBytes();
        lastOffset = event.offset();
        lastTimestampNanos = event.timestampNanos();
        if (storedFirst > event.offset()) {
            // The database will hold this event from its commit on; reads until then come from the ring.
            storedFirst = event.offset();
        }
        trimHot(Long.MIN_VALUE);
    }

    @Override
    public void expire(long nowNanos) {
        trimHot(nowNanos);
    }

    /** Keeps the ring within its limits, never letting go of an event the database does not have yet. */
    private void trimHot(long nowNanos) {
        long safe = committed;
        while (!hot.isEmpty() && hot.peekFirst().offset() <= safe
                && (hot.size() > hotLimits.maxEvents() || hotBytes > hotLimits.maxBytes()
                || (nowNanos != Long.MIN_VALUE && nowNanos - hot.peekFirst().timestampNanos() > hotMaxAgeNanos))) {
            hotBytes -= hot.removeFirst().sizeInBytes();
        }
    }

    @Override
    public boolean holdsMemory() {
        return !hot.isEmpty();
    }

    @Override
    public long retainedBytes() {
        return hotBytes;
    }

    @Override
    public boolean dropOldest() {
        if (hot.isEmpty() || hot.peekFirst().offset() > committed) {
            return false;
        }
        hotBytes -= hot.removeFirst().sizeInBytes();
        return true;
    }

    private long hotFirst() {
        return hot.isEmpty() ? lastOffset + 1 : hot.peekFirst().offset();
    }

    /** The ring holds everything after {@code offset} (everything before the ring is committed). */
    @Override
    public boolean readsAfterInMemory(long offset) {
        return offset + 1 >= hotFirst();
    }

    @Override
    public boolean readsSinceInMemory(long timestampNanos) {
        return (!hot.isEmpty() && hot.peekFirst().timestampNanos() <= timestampNanos) || hotFirst() == 1;
    }

    @Override
    public boolean readsLastInMemory(int count) {
        return hot.size() >= count || hotFirst() == 1;
    }

    @Override
    public boolean readsStoredWithoutLock() {
        return true;
    }

    @Override
    public long memoryStart() {
        return hotFirst();
    }

    /** The database alone, with the ids the writer set (volatile): safe without the topic's lock. */
    @Override
    public List<Event> readStoredRange(long epoch, long fromOffset, long toOffset, int max) {
        long id = topicId;
        return id == 0 ? List.of() : stored(() -> db.range(project, topic, id, epoch, fromOffset, toOffset,
                Math.min(max, readLimit)));
    }

    /** The database alone, as {@link #readStoredRange}. */
    @Override
    public List<Event> readStoredSince(long epoch, long timestampNanos, long toOffset) {
        long id = topicId;
        return id == 0 ? List.of() : stored(() -> db.since(project, topic, id, epoch, timestampNanos, toOffset + 1,
                readLimit));
    }

    @Override
    public List<Event> readAfter(long offset) {
        long from = offset + 1;
        long hotFirst = hotFirst();
        if (from >= hotFirst) {
            return hotFrom(e -> e.offset() >= from);
        }
        return storedThenHot(() -> db.range(project, topic, topicId, epoch, from, hotFirst - 1, readLimit));
    }

    @Override
    public List<Event> readSince(long timestampNanos) {
        if (!hot.isEmpty() && hot.peekFirst().timestampNanos() <= timestampNanos) {
            return hotFrom(e -> e.timestampNanos() >= timestampNanos);
        }
        long hotFirst = hotFirst();
        return storedThenHot(() -> db.since(project, topic, topicId, epoch, timestampNanos, hotFirst, readLimit));
    }

    @Override
    public List<Event> readLast(int count) {
        if (hot.size() >= count) {
            List<Event> out = new ArrayList<>(count);
            Iterator<Event> newest = hot.descendingIterator();
            for (int i = 0; i < count; i++) {
                out.add(newest.next());
            }
            Collections.reverse(out);
            return out;
        }
        int fromDb = Math.min(readLimit, count - hot.size());
        long hotFirst = hotFirst();
        return storedThenHot(() -> db.range(project, topic, topicId, epoch, 1, hotFirst - 1, fromDb));
    }

    /** The database alone (an earlier epoch is never in the ring): safe without the topic's lock too. */
    @Override
    public List<Event> readEarlierEpochAfter(Position position) {
        long id = topicId;
        return id == 0 ? List.of() : stored(() -> db.range(project, topic, id, position.epoch(), position.offset() + 1,
                Long.MAX_VALUE, readLimit));
    }

    /** A read of the database. */
    private interface StoredRead {
        List<Event> run() throws SQLException;
    }

    /** What {@code read} finds in the database (the events before the ring), followed by the whole ring. */
    private List<Event> storedThenHot(StoredRead read) {
        List<Event> out = new ArrayList<>(stored(read));
        out.addAll(hot);
        return out;
    }

    private static List<Event> stored(StoredRead read) {
        try {
            return read.run();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private List<Event> hotFrom(Predicate<Event> from) {
        List<Event> out = new ArrayList<>();
        for (Event e : hot) {
            if (!out.isEmpty() || from.test(e)) {
                out.add(e);
            }
        }
        return out;
    }

    private static StreamsException unavailable(SQLException e) {
        return StoreEngine.unavailable("reading history", e);
    }
}
