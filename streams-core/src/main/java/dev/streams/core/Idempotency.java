package dev.streams.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Publishes that are safe to retry. A publish whose attributes carry {@link #KEY} (the publisher's own key for
 * that publish) and that repeats a key seen in the same project within {@code window} is not stored or delivered
 * again: it is answered with the first publish's event (its topic, epoch, offset and time), or with the first's
 * failure while it is still in flight. A key names one publish of one topic; the same key on another topic is
 * refused (INVALID_ARGUMENT). Keys survive a restart with a durable history store (they are stored with their
 * events) and are decided by the cluster engine in a cluster, with the event's position.
 *
 * @param window            how long a key is remembered
 * @param maxKeysPerProject keys one project may hold within the window; a publish with a new key past it is
 *                          refused (LIMIT_EXCEEDED) rather than risk storing a retry twice
 */
public record Idempotency(Duration window, int maxKeysPerProject) {
    /** The attribute holding a publish's idempotency key: 1 to 255 visible ASCII characters. */
    public static final String KEY = "idempotencyKey";
    /** Longest key accepted. */
    public static final int MAX_KEY_LENGTH = 255;
    /** Ten minutes, 100,000 keys per project. */
    public static final Idempotency DEFAULT = new Idempotency(Duration.ofMinutes(10), 100_000);

    /** Checks the values. */
    public Idempotency {
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive");
        }
        if (maxKeysPerProject < 1) {
            throw new IllegalArgumentException("maxKeysPerProject must be positive");
        }
    }

    /** Throws {@link StreamsException} (INVALID_ARGUMENT) unless {@code key} is a usable idempotency key. */
    public static String requireKey(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new StreamsException(ErrorKind.INVALID_ARGUMENT, "an idempotency key has 1 to " + MAX_KEY_LENGTH
                    + " characters");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new StreamsException(ErrorKind.INVALID_ARGUMENT, "an idempotency key holds visible ASCII only");
            }
        }
        return key;
    }
}
