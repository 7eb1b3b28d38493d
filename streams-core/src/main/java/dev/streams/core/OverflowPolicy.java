package dev.streams.core;

/** What a subscription does when its bounded queue is full. Either way the publisher never waits. */
public enum OverflowPolicy {
    /** Drop the oldest queued events and tell the subscriber how many it missed with a {@link Gap}. */
    DROP_OLDEST,
    /** End the subscription with {@link CloseReason#SLOW_CONSUMER}. */
    DISCONNECT
}
