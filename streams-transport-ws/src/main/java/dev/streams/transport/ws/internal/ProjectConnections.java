package dev.streams.transport.ws.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open WebSocket sessions per project, so that one tenant cannot take every connection of the server. A
 * project's entry goes when its last session does, so the map holds only projects with open sessions.
 */
public final class ProjectConnections {
    private final int limit;
    private final ConcurrentHashMap<String, AtomicInteger> open = new ConcurrentHashMap<>();

    public ProjectConnections(int limit) {
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }

    /** Takes a place for a session of {@code project}; false when the project is at its limit. */
    public boolean tryAcquire(String project) {
        boolean[] acquired = {false};
        open.compute(project, (p, count) -> {
            AtomicInteger c = count == null ? new AtomicInteger() : count;
            if (c.get() < limit) {
                c.incrementAndGet();
                acquired[0] = true;
            }
            return c.get() == 0 ? null : c;
        });
        return acquired[0];
    }

    /** Gives back a place taken by {@link #tryAcquire}. */
    public void release(String project) {
        open.computeIfPresent(project, (p, count) -> count.decrementAndGet() == 0 ? null : count);
    }

    /** Open sessions of one project. */
    public int openOf(String project) {
        AtomicInteger count = open.get(project);
        return count == null ? 0 : count.get();
    }
}
