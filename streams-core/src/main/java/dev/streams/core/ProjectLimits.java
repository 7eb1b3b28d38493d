package dev.streams.core;

/**
 * Bounds on what one project may hold or do, so that no tenant (and no client of one) can grow the broker
 * without bound. Each is enforced by the broker with a {@link StreamsException} of kind
 * {@link ErrorKind#LIMIT_EXCEEDED} and counted in {@link ProjectStats#limitRejections()}.
 *
 * @param maxTopics        topics the project holds state for at once (topics with history or subscribers);
 *                         topics whose history has expired and that nobody subscribes to are evicted
 * @param maxSubscriptions subscriptions open at once
 * @param maxPublishRate   sustained publishes per second, with bursts of up to one second's worth
 *                         (0: no rate limit)
 * @param maxHistoryBytes  bytes of history held for the project (see {@link Event#sizeInBytes()}); a publish
 *                         that would pass it first sheds the oldest events of its own topic (a later resume
 *                         gets an exact {@link Gap.Cause#HISTORY_EXPIRED} gap), and is refused only when that is
 *                         not enough
 */
public record ProjectLimits(int maxTopics, int maxSubscriptions, int maxPublishRate, long maxHistoryBytes) {
    /** 100,000 topics, 100,000 subscriptions, 100,000 publishes/s and 1 GiB of history per project. */
    public static final ProjectLimits DEFAULT = new ProjectLimits(100_000, 100_000, 100_000, 1L << 30);

    /** No bound at all; for benchmarks and hosts that bound their tenants themselves. */
    public static final ProjectLimits UNLIMITED = new ProjectLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, 0,
            Long.MAX_VALUE);

    /** Checks that every bound is in range. */
    public ProjectLimits {
        if (maxTopics < 1 || maxSubscriptions < 1 || maxPublishRate < 0 || maxHistoryBytes < 0) {
            throw new StreamsException(ErrorKind.INVALID_ARGUMENT,
                    "project limits: topics and subscriptions must be >= 1, rate and bytes >= 0");
        }
    }

    /** These limits with another topic bound. */
    public ProjectLimits withMaxTopics(int topics) {
        return new ProjectLimits(topics, maxSubscriptions, maxPublishRate, maxHistoryBytes);
    }

    /** These limits with another subscription bound. */
    public ProjectLimits withMaxSubscriptions(int subscriptions) {
        return new ProjectLimits(maxTopics, subscriptions, maxPublishRate, maxHistoryBytes);
    }

    /** These limits with another publish rate (0: none). */
    public ProjectLimits withMaxPublishRate(int perSecond) {
        return new ProjectLimits(maxTopics, maxSubscriptions, perSecond, maxHistoryBytes);
    }

    /** These limits with another history byte bound. */
    public ProjectLimits withMaxHistoryBytes(long bytes) {
        return new ProjectLimits(maxTopics, maxSubscriptions, maxPublishRate, bytes);
    }

    @Override
    public String toString() {
        return "ProjectLimits[topics=" + maxTopics + ", subscriptions=" + maxSubscriptions + ", publishRate="
                + maxPublishRate + "/s, historyBytes=" + maxHistoryBytes + ']';
    }

}
