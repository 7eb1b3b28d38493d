package dev.streams.core.internal;

import dev.streams.core.ErrorKind;
import dev.streams.core.Event;
import dev.streams.core.Idempotency;
import dev.streams.core.StreamsException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;

/**
 * One project's idempotency keys within the window: each key maps to its first publish's future, so a repeat
 * gets that publish's event (or, while it is in flight, waits for it) and is never stored twice.
 *
 * <p>Concurrency: {@link #reserve} claims a key with one {@code putIfAbsent}, so of two publishes racing with one
 * key exactly one proceeds; the other receives the winner's future. Keys leave in arrival order once their window
 * has passed (the queue is in arrival order and the window is one length, so its head expires first); a key whose
 * publish failed is released at once, so a retry may publish.
 */
public final class IdempotencyKeys {
    private final long windowNanos;
    private final int max;
    private final LongSupplier clockNanos;
    private final ConcurrentHashMap<String, Claim> claims = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Claim> arrivals = new ConcurrentLinkedQueue<>();

    /** A key's first publish, and when the key is forgotten. */
    private record Claim(String key, CompletableFuture<Event> first, long expiresAtNanos) {
    }

    public IdempotencyKeys(Idempotency settings, LongSupplier clockNanos) {
        this.windowNanos = settings.window().toNanos();
        this.max = settings.maxKeysPerProject();
        this.clockNanos = clockNanos;
    }

    /**
     * Claims {@code key} for a publish to {@code topic} that will complete {@code mine}: returns null when this
     * publish should go ahead, or the first publish's event (as a future) when the key was seen within the window.
     */
    public CompletableFuture<Event> reserve(String key, String topic, CompletableFuture<Event> mine) {
        long now = clockNanos.getAsLong();
        expire(now);
        Claim claim = new Claim(key, mine, now + windowNanos);
        Claim earlier = claims.putIfAbsent(key, claim);
        if (earlier != null) {
            return earlier.first.thenApply(first -> sameTopic(key, first, topic));
        }
        if (claims.size() > max) {
            claims.remove(key, claim);
            throw new StreamsException(ErrorKind.LIMIT_EXCEEDED, "more than " + max
                    + " idempotency keys within the window in this project; retry later or publish without a key");
        }
        arrivals.add(claim);
        return null;
    }

    /** Lets a key go whose publish failed, so that a retry publishes. */
    public void release(String key, CompletableFuture<Event> mine) {
        claims.computeIfPresent(key, (k, claim) -> claim.first == mine ? null : claim);
    }

    /** Remembers a key stored with an event (found in the history store at start), for the rest of its window. */
    public void restore(Event stored) {
        String key = stored.attributes().get(Idempotency.KEY);
        long expires = stored.timestampNanos() + windowNanos;
        if (key == null || expires <= clockNanos.getAsLong() || claims.size() >= max) {
            return;
        }
        Claim claim = new Claim(key, CompletableFuture.completedFuture(stored), expires);
        if (claims.putIfAbsent(key, claim) == null) {
            arrivals.add(claim);
        }
    }

    /** Keys held now. */
    public int size() {
        return claims.size();
    }

    private void expire(long now) {
        for (Claim head = arrivals.peek(); head != null && head.expiresAtNanos - now <= 0; head = arrivals.peek()) {
            if (arrivals.remove(head)) {
                claims.remove(head.key, head);
            }
        }
    }

    private static Event sameTopic(String key, Event first, String topic) {
        if (!first.topic().equals(topic)) {
            throw new StreamsException(ErrorKind.INVALID_ARGUMENT, "idempotency key " + key
                    + " was used for another topic within the window");
        }
        return first;
    }
}
