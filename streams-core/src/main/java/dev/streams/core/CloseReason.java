package dev.streams.core;

/** Why a subscription ended. */
public enum CloseReason {
    /** The subscriber cancelled it. */
    CANCELLED,
    /** Its queue overflowed under policy {@link OverflowPolicy#DISCONNECT}. */
    SLOW_CONSUMER,
    /** The broker was closed; whatever was queued was delivered first. */
    BROKER_CLOSED
}
