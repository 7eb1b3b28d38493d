package dev.streams.transport.ws.internal;

import dev.streams.auth.Principal;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The credential a session acts with, and the two timers of one that expires: a warning some time before, then
 * the end. A session adopts a credential when it authenticates and again when the client sends a fresh one
 * (which re-arms the timers); API keys have no expiry and arm none.
 *
 * <p>Written on the session's event loop only. {@link #current()} is also read by the {@link RevocationSweeper}'s
 * thread, hence the volatile field; the timers are the event loop's alone.
 */
final class SessionCredential {
    private volatile Principal current;
    private ScheduledFuture<?> warning;
    private ScheduledFuture<?> end;

    /** The credential now, or null before the session has one. Any thread. */
    Principal current() {
        return current;
    }

    /** Takes {@code who} as the session's credential, without timers (a dialect that does not end at expiry). */
    void adopt(Principal who) {
        current = who;
    }

    /**
     * Takes {@code who} and, when it expires, calls {@code onWarning} {@code lead} before (halfway through a
     * shorter life; not at all with a zero lead) and {@code onExpired} at its expiry, replacing what an earlier
     * credential armed.
     */
    void adoptUntilExpiry(Principal who, EventLoop loop, Duration lead, Consumer<Instant> onWarning, Runnable onExpired) {
        current = who;
        cancel();
        Instant expiresAt = who.expiresAt();
        if (expiresAt == null) {
            return;
        }
        long untilExpiry = Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis());
        if (!lead.isZero() && !lead.isNegative()) {
            // A credential that lives less than the lead is warned about halfway, not at once: told "expiring"
            // immediately, a client whose tokens are that short would refresh in a loop.
            long untilWarning = untilExpiry > lead.toMillis() ? untilExpiry - lead.toMillis() : untilExpiry / 2;
            warning = loop.schedule(() -> onWarning.accept(expiresAt), untilWarning, TimeUnit.MILLISECONDS);
        }
        end = loop.schedule(onExpired, untilExpiry, TimeUnit.MILLISECONDS);
    }

    /** Whether {@code credential} is still the one the session acts with (not replaced by a fresher one). */
    boolean isCurrent(Principal credential) {
        return current == credential;
    }

    /** Stops the timers (the session closed). */
    void cancel() {
        if (warning != null) {
            warning.cancel(false);
            warning = null;
        }
        if (end != null) {
            end.cancel(false);
            end = null;
        }
    }
}
