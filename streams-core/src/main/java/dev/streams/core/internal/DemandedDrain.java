package dev.streams.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Executor;

/**
 * A {@link SerialDrain} that delivers against its subscriber's demand, counted so that a delivery needs no
 * atomic instruction: {@link #granted} only grows (any thread, by CAS, in {@link #request}) and {@link #consumed}
 * is written only by the thread that delivers, which is the drain's (for a subscription on an event loop, the
 * loop's). What may go now is their difference, read by the delivering thread alone.
 */
abstract class DemandedDrain extends SerialDrain {
    private static final VarHandle GRANTED;

    static {
        try {
            GRANTED = MethodHandles.lookup().findVarHandle(DemandedDrain.class, "granted", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Events ever requested, or Long.MAX_VALUE for no bound. Only grows. */
    private volatile long granted;
    /** Events delivered against {@link #granted}. The delivering thread only. */
    private long consumed;

    DemandedDrain(Executor executor, boolean manualDemand) {
        super(executor);
        this.granted = manualDemand ? 0 : Long.MAX_VALUE;
    }

    /**
     * Whether something may wait for demand, so that new demand needs a drain. Read after the demand is added;
     * a thread that makes it true must read {@link #demand} afterwards (both sides volatile), so that one of the
     * two always sees the other.
     */
    abstract boolean mayWait();

    /** Allows {@code n} more events. Any thread. */
    public final void request(long n) {
        if (n <= 0) {
            throw new IllegalArgumentException("request must be positive: " + n);
        }
        long before;
        do {
            before = granted;
            if (before == Long.MAX_VALUE) {
                return;
            }
        } while (!GRANTED.compareAndSet(this, before, before + n < 0 ? Long.MAX_VALUE : before + n));
        // With nothing waiting there is nothing to drain: the next event goes at once, and no drain task is
        // handed to the executor for nothing (on an event loop, one would hold up the events behind it).
        if (mayWait()) {
            signal();
        }
    }

    /** Events that may be delivered now. The delivering thread only. */
    final long demand() {
        long g = granted;
        return g == Long.MAX_VALUE ? Long.MAX_VALUE : g - consumed;
    }

    /** Counts deliveries against the demand. The delivering thread only. */
    final void consume(int count) {
        consumed += count;
    }
}
