package dev.streams.core;

/**
 * Receives a subscription's events. Calls for one subscription never overlap and come in per-topic offset
 * order; they run on the subscription's executor, never on the publisher's thread.
 */
@FunctionalInterface
public interface SubscriptionListener {
    void onEvent(Event event);

    /** Events of a topic were missed; the events that follow come after the hole. */
    default void onGap(Gap gap) {
    }

    /** The subscription ended; no call follows this one. */
    default void onClose(CloseReason reason) {
    }
}
