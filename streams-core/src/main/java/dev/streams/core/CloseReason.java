package dev.streams.core;

/** Why a subscription ended. */
public enum CloseReason {
    /** The subscriber cancelled it. */
    CANCELLED,
    /** Its queue overflowed under policy {@link OverflowPolicy#DISCONNECT}. */
    SLOW_CONSUMER,
    /** The broker was closed; whatever was queued was delivered first. */
    BROKER_CLOSED,
    /**
     * The subscriber's listener threw an {@link Error} (out of memory, say) while taking an event: that event did
     * not arrive, so the subscription ends and says so, rather than go on with a hole no one was told of.
     */
    LISTENER_FAILED
}
