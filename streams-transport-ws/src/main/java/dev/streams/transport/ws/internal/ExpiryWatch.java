package dev.streams.transport.ws.internal;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The two timers of a credential that expires: a warning some time before, then the end. A session makes one only
 * for a credential with an expiry (API keys have none), and re-arms it when the client sends a fresh credential.
 * Event loop only.
 */
final class ExpiryWatch {
    private ScheduledFuture<?> warning;
    private ScheduledFuture<?> end;

    /**
     * Calls {@code onWarning} {@code lead} before {@code expiresAt} (not at all with a zero lead) and
     * {@code onExpired} at it, replacing what was armed before.
     */
    void arm(EventLoop loop, Instant expiresAt, Duration lead, Consumer<Instant> onWarning, Runnable onExpired) {
        cancel();
        long untilExpiry = Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis());
        if (!lead.isZero() && !lead.isNegative()) {
            long untilWarning = Math.max(0, untilExpiry - lead.toMillis());
            warning = loop.schedule(() -> onWarning.accept(expiresAt), untilWarning, TimeUnit.MILLISECONDS);
        }
        end = loop.schedule(onExpired, untilExpiry, TimeUnit.MILLISECONDS);
    }

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
