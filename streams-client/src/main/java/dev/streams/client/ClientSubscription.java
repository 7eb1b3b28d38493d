package dev.streams.client;

/** A subscription of a {@link StreamsClient}; it survives reconnects until cancelled. */
public interface ClientSubscription {
    /** The topic or pattern subscribed to. */
    String pattern();

    /** Stops delivery and tells the server. */
    void cancel();
}
