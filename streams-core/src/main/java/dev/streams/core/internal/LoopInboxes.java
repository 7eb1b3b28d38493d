package dev.streams.core.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/** The broker's inboxes, one per event loop its subscriptions run on (see {@link LoopInbox}). */
public final class LoopInboxes {
    private final ConcurrentHashMap<Executor, LoopInbox> inboxes = new ConcurrentHashMap<>();

    /** The inbox of {@code loop}; the same one for the same executor object. */
    LoopInbox of(Executor loop) {
        LoopInbox inbox = inboxes.get(loop);
        return inbox != null ? inbox : inboxes.computeIfAbsent(loop, LoopInbox::new);
    }

    /** The inbox of {@code loop}, now bounded by at least a joining subscription's queue bound. */
    LoopInbox admit(Executor loop, int maxQueuedEvents) {
        LoopInbox inbox = of(loop);
        inbox.admit(maxQueuedEvents);
        return inbox;
    }
}
