package dev.streams.history.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The connections to one database, each with the dialect's settings applied: opened on demand (the writer's), and
 * a fixed pool of reader connections lent one read at a time, a broken one replaced when it is returned.
 */
final class Connections implements AutoCloseable {
    private static final int BORROW_TIMEOUT_SECONDS = 10;

    private final SqlDialect dialect;
    private final DataSource source;
    private final BlockingQueue<Connection> readers;
    private final int readerCount;

    /** Opens {@code readers} reader connections; throws with the database's reason when one cannot be had. */
    Connections(SqlDialect dialect, DataSource source, int readers) throws SQLException {
        this.dialect = dialect;
        this.source = source;
        this.readers = new ArrayBlockingQueue<>(readers);
        this.readerCount = readers;
        try {
            for (int i = 0; i < readers; i++) {
                this.readers.add(open());
            }
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    /** A new connection with the dialect's settings; the caller owns and closes it. */
    Connection open() throws SQLException {
        return open(dialect, source);
    }

    /** A new connection to {@code source} with {@code dialect}'s settings; the caller owns and closes it. */
    static Connection open(SqlDialect dialect, DataSource source) throws SQLException {
        Connection c = source.getConnection();
        try (Statement s = c.createStatement()) {
            for (String setting : dialect.connectionSettings()) {
                s.execute(setting);
            }
            if (dialect == SqlDialect.SQLITE) {
                RegexpFunction.register(c);
            }
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
        return c;
    }

    /** A read on a pooled connection. */
    interface Read<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code read} on a reader connection, waiting a bounded time for one to be free. */
    <T> T read(Read<T> read) throws SQLException {
        Connection c;
        try {
            c = readers.poll(BORROW_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a database connection");
        }
        if (c == null) {
            throw new SQLException("no database connection free within " + BORROW_TIMEOUT_SECONDS + " s");
        }
        boolean broken = false;
        try {
            return read.run(c);
        } catch (SQLException e) {
            broken = !c.isValid(1);
            throw e;
        } finally {
            readers.add(broken ? replace(c) : c);
        }
    }

    /** A fresh connection for a broken one; the old one when none can be had (the next read reports why). */
    private Connection replace(Connection broken) {
        try {
            Connection fresh = open();
            closeQuietly(broken);
            return fresh;
        } catch (SQLException stillBroken) {
            return broken;
        }
    }

    /** Closes the reader connections that are not lent out (all of them once reads have stopped). */
    @Override
    public void close() {
        for (int i = 0; i < readerCount; i++) {
            Connection c = readers.poll();
            if (c != null) {
                closeQuietly(c);
            }
        }
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }
}
