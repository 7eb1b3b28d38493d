package dev.streams.core.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A project's publish rate limit as a generic cell rate algorithm: one atomic "theoretical arrival time"
 * that each publish moves on by one interval, refused when that would run more than a burst ahead of now.
 * One compare-and-set per publish and no timer; monotonic time, so a host's event clock cannot affect it.
 */
final class PublishRate {
    private final long intervalNanos;
    private final long burstNanos;
    private final AtomicLong arrival = new AtomicLong(System.nanoTime());

    /** {@code perSecond} publishes per second sustained, bursts of one second's worth. */
    PublishRate(int perSecond) {
        this.intervalNanos = 1_000_000_000L / perSecond;
        this.burstNanos = 1_000_000_000L;
    }

    /** Takes one publish's place; false when over the rate. */
    boolean tryAcquire() {
        long now = System.nanoTime();
        while (true) {
            long tat = arrival.get();
            long next = Math.max(tat, now) + intervalNanos;
            if (next - now > burstNanos) {
                return false;
            }
            if (arrival.compareAndSet(tat, next)) {
                return true;
            }
        }
    }
}
