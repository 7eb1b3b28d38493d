package dev.streams.core;

import java.util.List;

/**
 * The retained events of one topic. The broker serialises every call on one instance (it holds the topic's
 * lock), so implementations need no locking of their own. An implementation may be durable; the default
 * is a bounded in-memory ring ({@link HistoryStore#inMemory(HistoryLimits)}).
 *
 * <p>Since every call but the unlocked store reads holds the topic's lock, a call that blocks holds up the
 * topic's publishers; and the broker makes these calls on the caller's thread (an I/O thread included) when it
 * checks whether memory answers a subscription. So {@link #expire}, the questions whether memory answers a read
 * ({@link #readsAfterInMemory} and its kin), the offsets, {@link #memoryStart()}, {@link #retainedBytes()} and
 * {@link #dropOldest()} must answer from memory, and {@link #append} must not wait for a write. A durable history
 * reads its store only where it says it will: the reads those questions send to a thread that may block, and the
 * store reads of {@link #readsStoredWithoutLock()}.
 */
public interface TopicHistory {
    /** Identifies this incarnation of the history; a new epoch means offsets started over. */
    long epoch();

    /** The offset of the last event appended, or 0 when none ever was. */
    long lastOffset();

    /** The offset of the oldest retained event, or {@code lastOffset() + 1} when none is retained. */
    long firstOffset();

    /** The timestamp of the last event appended, or 0 when none. */
    long lastTimestampNanos();

    /** Appends the next event; its offset is {@code lastOffset() + 1}. */
    void append(Event event);

    /**
     * Appends the next event that another node of a cluster stores in the shared store
     * ({@link HistoryStore#sharedByNodes()}): kept for reads like any event, never written from here. By
     * default the same as {@link #append}.
     */
    default void appendStoredElsewhere(Event event) {
        append(event);
    }

    /** Drops events that the retention policy no longer keeps, given the current time. */
    void expire(long nowNanos);

    /**
     * Retained events with an offset above {@code offset}, oldest first. A history that cannot return them all
     * at once (a durable one, for a client far behind) may return only the newest ones; the broker reports
     * the ones left out as a gap.
     */
    List<Event> readAfter(long offset);

    /**
     * Whether {@link #readAfter readAfter(offset)} is answered wholly from memory, without blocking (no
     * database or network read). The broker then makes the subscription on the caller's thread, an I/O thread
     * included; otherwise on a thread that may block. True by default (a history in memory).
     */
    default boolean readsAfterInMemory(long offset) {
        return true;
    }

    /** Whether {@link #readSince readSince(timestampNanos)} is answered wholly from memory (as above). */
    default boolean readsSinceInMemory(long timestampNanos) {
        return true;
    }

    /** Whether {@link #readLast readLast(count)} is answered wholly from memory (as above). */
    default boolean readsLastInMemory(int count) {
        return true;
    }

    /**
     * Whether the store reads below may be called without the topic's lock ({@link #readStoredRange},
     * {@link #readStoredSince}, and then {@link #readEarlierEpochAfter} too). A durable history says yes, so
     * that a replay from its store does not hold up the topic's publishes while it reads. False by default.
     *
     * <p>Such reads run on a thread that may block, with no lock held, and must touch nothing the locked methods
     * change. The broker plans them under the lock (below {@link #memoryStart()}), reads, then joins memory
     * from there under the lock again, and reads again when memory let go of events meanwhile.
     */
    default boolean readsStoredWithoutLock() {
        return false;
    }

    /**
     * The first offset memory holds, up to {@code lastOffset()}: memory holds every event from there on, and
     * everything before it is in the store (or expired). By default {@link #firstOffset()}.
     */
    default long memoryStart() {
        return firstOffset();
    }

    /**
     * Stored events of {@code epoch} with offsets from {@code fromOffset} to {@code toOffset}, oldest first: the
     * newest {@code max} of them, or fewer when the history reads less at once (the broker reports what is left
     * out as a gap). Without the topic's lock; see {@link #readsStoredWithoutLock()}.
     */
    default List<Event> readStoredRange(long epoch, long fromOffset, long toOffset, int max) {
        throw new UnsupportedOperationException(getClass().getName() + " has no store to read without its lock");
    }

    /**
     * Stored events of {@code epoch} with a timestamp at or after {@code timestampNanos} and an offset up to
     * {@code toOffset}, oldest first (the newest of them when there are more than one read returns). Without
     * the topic's lock; see {@link #readsStoredWithoutLock()}.
     */
    default List<Event> readStoredSince(long epoch, long timestampNanos, long toOffset) {
        throw new UnsupportedOperationException(getClass().getName() + " has no store to read without its lock");
    }

    /** Retained events with a timestamp at or after {@code timestampNanos}, oldest first. */
    List<Event> readSince(long timestampNanos);

    /** The last {@code count} retained events, oldest first. */
    List<Event> readLast(int count);

    /**
     * Bytes of the retained events, for the project's history budget ({@link ProjectLimits#maxHistoryBytes()}).
     * A store that keeps nothing in memory may answer 0.
     */
    default long retainedBytes() {
        return 0;
    }

    /** Drops the oldest retained event to make room; false when nothing is retained (or it cannot). */
    default boolean dropOldest() {
        return false;
    }

    /**
     * Whether this history holds events in memory; the broker forgets an idle topic's state only when it does
     * not (a durable history reopens from its store). By default: whether any event is retained.
     */
    default boolean holdsMemory() {
        return firstOffset() <= lastOffset();
    }

    /**
     * Events of an earlier epoch of this topic after {@code position}, oldest first, when the history still
     * has them (a durable store that started a new epoch after a crash keeps the old one's committed events);
     * empty by default. A resume from an old epoch gets these after its EPOCH_CHANGED gap.
     */
    default List<Event> readEarlierEpochAfter(Position position) {
        return List.of();
    }

    /**
     * Continues at a position a cluster engine's authority set: the epoch becomes {@code epoch}, the last
     * offset {@code lastOffset}, and nothing of before is retained in memory. Called when the cluster moved on
     * without this node (a new epoch, or events this node could not recover). Histories that cannot follow an
     * outside authority throw {@link UnsupportedOperationException}, the default.
     */
    default void moveTo(long epoch, long lastOffset) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot follow a cluster's positions");
    }
}
