package dev.streams.core;

/** A live subscription returned by {@link Broker#subscribe}; cancel it (or close it) to stop receiving. */
public interface Subscription extends AutoCloseable {
    String project();

    /** The topic or pattern subscribed to. */
    String pattern();

    /**
     * Allows {@code n} more events to be delivered. Only needed with {@link SubscribeOptions.Builder#manualDemand()};
     * otherwise demand is unbounded. Events wait in the bounded queue while there is no demand.
     */
    void request(long n);

    /** Stops delivery; the listener gets {@link CloseReason#CANCELLED} unless it was already closed. */
    void cancel();

    @Override
    default void close() {
        cancel();
    }

    boolean isActive();

    /** Events dropped so far by the overflow policy. */
    long droppedCount();

    /** Events waiting in the queue now. */
    int queuedEvents();
}
