package dev.streams.transport.ws.internal;

import java.time.Duration;
import java.util.Objects;

/** The builders' checks of a setting, each with the one message a wrong value gets. */
public final class Checks {
    private Checks() {
    }

    /** {@code value}, when at least 1. */
    public static int positive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return value;
    }

    /** {@code value}, when at least 1. */
    public static long positive(long value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return value;
    }

    /** {@code value}, when 0 or more. */
    public static int notNegative(int value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
        return value;
    }

    /** {@code value}, when longer than zero. */
    public static Duration positive(Duration value, String name) {
        if (Objects.requireNonNull(value, name).isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return value;
    }

    /** {@code value}, when from zero to {@code max}, which is said in whole seconds. */
    public static Duration upTo(Duration value, Duration max, String name) {
        if (Objects.requireNonNull(value, name).isNegative() || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be between 0 and " + max.toSeconds() + " s: " + value);
        }
        return value;
    }
}
