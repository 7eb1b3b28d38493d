package dev.streams.client;

/** A subscription of a {@link StreamsClient}; it survives reconnects until cancelled. */
public interface ClientSubscription {
    String pattern();

    /** Stops delivery and tells the server. */
    void cancel();
}
