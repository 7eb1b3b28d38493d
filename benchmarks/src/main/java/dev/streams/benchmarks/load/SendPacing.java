package dev.streams.benchmarks.load;

import io.netty.channel.Channel;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * When the load tool's publisher sends its next message: at a fixed rate from a start, and never with more than
 * a number of messages in flight (as {@link InFlightGate} counts them); 0 turns either off. Between
 * sends at a fixed rate the publisher sleeps until the next one is due rather than polling every few
 * microseconds: the tool's reading shares its cores.
 */
final class SendPacing {
    /** How often a publisher held by its messages in flight, or by a full socket, looks again. */
    private static final long POLL_NANOS = 20_000;

    private final int rate;
    private final int inflight;
    private final LongSupplier inFlightNow;
    private final long start = System.nanoTime();
    private long sent;

    /** {@code inFlightNow}: how many messages are in flight now, read only with an in-flight bound. */
    SendPacing(int rate, int inflight, LongSupplier inFlightNow) {
        this.rate = rate;
        this.inflight = inflight;
        this.inFlightNow = inFlightNow;
    }

    /**
     * At {@code now}: sends one message with {@code send} when one is due and {@code publisher} takes writes;
     * otherwise sleeps until it should look again.
     */
    void sendOrWait(long now, Channel publisher, Runnable send) {
        if (due(now) && publisher.isWritable()) {
            send.run();
            sent++;
        } else {
            LockSupport.parkNanos(waitNanos(now));
        }
    }

    private boolean due(long now) {
        return (rate == 0 || sent < (now - start) * rate / 1_000_000_000L)
                && (inflight == 0 || inFlightNow.getAsLong() < inflight);
    }

    /** Messages sent since the start. */
    long count() {
        return sent;
    }

    /** How long to wait, at {@code now}, before looking again. */
    private long waitNanos(long now) {
        if (rate == 0) {
            return POLL_NANOS;
        }
        long next = start + (sent + 1) * 1_000_000_000L / rate;
        return Math.max(POLL_NANOS, next - now);
    }
}
