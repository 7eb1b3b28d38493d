package dev.streams.core;

/**
 * Told to a subscriber when events of a topic will never reach it: it must treat its view of that topic as
 * incomplete (a dashboard would back-fill or mark the hole).
 *
 * @param topic  the topic with the hole
 * @param epoch  the epoch of the events that follow the hole
 * @param missed how many events were missed, or -1 when unknown (the epoch changed)
 * @param cause  why
 */
public record Gap(String topic, long epoch, long missed, Cause cause) {
    /** Whether {@code other} is the same hole, grown: same topic, epoch and cause, so the two add up. */
    public boolean addsUpWith(Gap other) {
        return topic.equals(other.topic) && epoch == other.epoch && cause == other.cause;
    }

    /** This gap and a later one of the same hole ({@link #addsUpWith}) as one; an unknown count stays unknown. */
    public Gap plus(Gap later) {
        return new Gap(topic, epoch, missed < 0 || later.missed < 0 ? -1 : missed + later.missed, cause);
    }

    /** Why events were missed. */
    public enum Cause {
        /** The requested resume point fell out of the retained history. */
        HISTORY_EXPIRED,
        /** The topic's history was recreated (for example the server restarted): offsets start over. */
        EPOCH_CHANGED,
        /** The subscriber's queue overflowed and the oldest events were dropped (policy DROP_OLDEST). */
        QUEUE_OVERFLOW,
        /**
         * The cluster accepted events that this node did not receive and could no longer recover (a cluster
         * engine's recovery log had already let go of them).
         */
        CLUSTER_MISSED
    }
}
