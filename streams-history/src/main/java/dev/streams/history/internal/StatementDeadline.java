package dev.streams.history.internal;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Stops one statement at a deadline from a timer thread: {@link Statement#cancel()} interrupts a running
 * SQLite statement ({@code sqlite3_interrupt}) and sends PostgreSQL a cancel request, where a query timeout
 * alone would only bound SQLite's wait for a lock. The monitor keeps a late timer from interrupting the
 * connection once the statement is done (an interrupt then would hit the next statement on the connection).
 */
final class StatementDeadline implements AutoCloseable {
    private final Statement statement;
    private final ScheduledFuture<?> timer;
    private boolean done;
    private boolean fired;

    StatementDeadline(Statement statement, long deadlineNanos, ScheduledExecutorService timers) {
        this.statement = statement;
        this.timer = timers.schedule(this::fire, Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private synchronized void fire() {
        if (done) {
            return;
        }
        fired = true;
        try {
            statement.cancel();
        } catch (SQLException ignored) {
            // the statement ended on its own meanwhile
        }
    }

    /** Whether the deadline stopped the statement. */
    synchronized boolean fired() {
        return fired;
    }

    @Override
    public synchronized void close() {
        done = true;
        timer.cancel(false);
    }
}
