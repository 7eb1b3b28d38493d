package dev.streams.coap.internal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per device: a device may post {@code perSecond} readings a second on average, {@code burst} at
 * once. Only authenticated devices get a bucket, so the map is bounded by the devices that hold credentials; a
 * device idle for a minute gives its bucket back.
 */
public final class DeviceRates {
    private static final long IDLE_NANOS = 60_000_000_000L;

    private final double perNano;
    private final double burst;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private volatile long nextSweep = System.nanoTime() + IDLE_NANOS;

    public DeviceRates(double perSecond, int burst) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
    }

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    /** Takes one reading's token; returns 0 when allowed, else the seconds until the next token (at least 1). */
    public long take(String identity) {
        long now = System.nanoTime();
        sweep(now);
        Bucket bucket = buckets.computeIfAbsent(identity, id -> new Bucket(burst, now));
        synchronized (bucket) {
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) * perNano);
            bucket.at = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / perNano / 1e9));
        }
    }

    private void sweep(long now) {
        if (now - nextSweep < 0) {
            return;
        }
        nextSweep = now + IDLE_NANOS;
        buckets.values().removeIf(bucket -> {
            synchronized (bucket) {
                return now - bucket.at > IDLE_NANOS;
            }
        });
    }

    /** Devices holding a bucket now. */
    public int tracked() {
        return buckets.size();
    }
}
