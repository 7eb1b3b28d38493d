package dev.streams.examples;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Logs a failure that repeats (every simulated device failing every second while Redis is down) as three kinds
 * of line: the first failure once, then a summary at most every {@code interval} while it goes on, then once
 * when it stops. One line each, with the cause's message and no stack trace: the cause is the same each time.
 * Thread-safe.
 */
final class RepeatedFailureLog {
    private final String what;
    private final Duration interval;
    private final Clock clock;
    private final Consumer<String> warn;
    private final Consumer<String> info;
    private boolean failing;
    private Instant since;
    private Instant lastLine;
    private long failures;
    private long failuresSinceLine;
    private String lastCause;

    RepeatedFailureLog(String what, Duration interval, Clock clock, Consumer<String> warn, Consumer<String> info) {
        this.what = what;
        this.interval = interval;
        this.clock = clock;
        this.warn = warn;
        this.info = info;
    }

    /** Writes to {@code logger}: failures as warnings, the recovery as information. */
    static RepeatedFailureLog to(System.Logger logger, String what, Duration interval) {
        return new RepeatedFailureLog(what, interval, Clock.systemUTC(),
                line -> logger.log(System.Logger.Level.WARNING, line), line -> logger.log(System.Logger.Level.INFO, line));
    }

    synchronized void failed(Throwable cause) {
        Instant now = clock.instant();
        failures++;
        failuresSinceLine++;
        lastCause = String.valueOf(cause.getMessage());
        if (!failing) {
            failing = true;
            since = now;
            lastLine = now;
            failuresSinceLine = 0;
            warn.accept(what + " failed: " + lastCause + " (further failures are summarised every "
                    + interval.toSeconds() + " s)");
        } else if (Duration.between(lastLine, now).compareTo(interval) >= 0) {
            warn.accept(what + " still failing: " + failuresSinceLine + " more failures in the last "
                    + Duration.between(lastLine, now).toSeconds() + " s; last: " + lastCause);
            lastLine = now;
            failuresSinceLine = 0;
        }
    }

    synchronized void succeeded() {
        if (failing) {
            failing = false;
            info.accept(what + " works again after " + failures + " failures over "
                    + Duration.between(since, clock.instant()).toSeconds() + " s");
            failures = 0;
            failuresSinceLine = 0;
        }
    }
}
