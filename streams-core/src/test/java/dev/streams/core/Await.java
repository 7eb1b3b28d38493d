package dev.streams.core;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The one way tests wait: until a condition holds, polling, failing with a message made when it does not within
 * the time given (20 s by default, long enough for a loaded machine; a passing test waits only as long as it
 * must). A condition may throw: an exception on the way (a server not up yet) counts as "not yet".
 */
public final class Await {
    /** A condition that may throw while it cannot be decided yet. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    private static final Duration DEFAULT = Duration.ofSeconds(20);

    private Await() {
    }

    /** Waits until {@code condition} holds, at most 20 s. */
    public static void until(Condition condition, String what) {
        until(condition, DEFAULT, () -> what);
    }

    /** Waits until {@code condition} holds, at most 20 s; {@code what} is made only when it fails. */
    public static void until(Condition condition, Supplier<String> what) {
        until(condition, DEFAULT, what);
    }

    /** Waits until {@code condition} holds, at most {@code within}. */
    public static void until(Condition condition, Duration within, Supplier<String> what) {
        long deadline = System.nanoTime() + within.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (condition.holds()) {
                    return;
                }
                last = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for: " + what.get());
            } catch (Exception notYet) {
                last = notYet;
            }
            if (System.nanoTime() > deadline) {
                fail("not within " + within.toMillis() + " ms: " + what.get() + (last == null ? "" : " (last: " + last + ")"));
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for: " + what.get());
            }
        }
    }
}
