package dev.streams.core.internal;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Executor;

/**
 * Runs a drain on one executor, one run at a time, however many threads ask for it: the first request since
 * the last run finished hands the drain to the executor (or runs it on the spot, for a caller already on it);
 * requests made while it runs make it go round again instead of overlapping it (the "work in progress" counter
 * of queue-drain loops). Subclasses say what one step of the drain delivers.
 *
 * <p>Every idle connection keeps its subscriptions for life, so the counter is a plain field updated through a
 * {@link VarHandle} (not an {@code AtomicInteger}, 16 bytes more each) and the drain is itself the task handed to
 * the executor (not a lambda, 16 more).
 */
abstract class SerialDrain implements Runnable {
    private static final System.Logger LOG = System.getLogger(SerialDrain.class.getName());
    private static final VarHandle WIP;

    static {
        try {
            WIP = MethodHandles.lookup().findVarHandle(SerialDrain.class, "wip", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Executor executor;
    /** Drain requests not yet served; a drain runs or is due while it is not 0. */
    private volatile int wip;

    SerialDrain(Executor executor) {
        this.executor = executor;
    }

    /** One step of the drain; false when nothing can go now. Runs on the executor, never concurrently. */
    abstract boolean deliverSome();

    /** Whether no drain runs or is due now. */
    final boolean drainIdle() {
        return wip == 0;
    }

    /** Asks for a drain on the executor. Any thread. */
    final void signal() {
        if ((int) WIP.getAndAdd(this, 1) == 0) {
            try {
                executor.execute(this);
            } catch (RuntimeException rejected) {
                LOG.log(Level.WARNING, "delivery executor rejected a drain of " + this, rejected);
                wip = 0;
            }
        }
    }

    /** Drains on the calling thread, which must be the executor's, unless a drain is already due. */
    final void drainHere() {
        if ((int) WIP.getAndAdd(this, 1) == 0) {
            run();
        }
    }

    /** The drain: steps until nothing more may go, then again if it was asked for meanwhile. The executor only. */
    @Override
    public final void run() {
        int missed = 1;
        do {
            while (deliverSome()) {
                // keep going while there is something to deliver
            }
            missed = (int) WIP.getAndAdd(this, -missed) - missed;
        } while (missed != 0);
    }
}
