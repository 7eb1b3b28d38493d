package dev.streams.history;

import dev.streams.core.HistoryLimits;
import dev.streams.core.HistoryStore;
import dev.streams.core.TopicHistory;
import dev.streams.history.internal.Database;
import dev.streams.history.internal.DirectoryLock;
import dev.streams.history.internal.SqlDialect;
import dev.streams.history.internal.StoreEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The broker's durable {@link HistoryStore}: every event is stored in a database, SQLite embedded in a data
 * directory by default, or PostgreSQL through a {@link DataSource} the host passes. Pass it to
 * {@code Broker.builder().historyStore(store)}, close the broker, then close the store.
 *
 * <pre>{@code
 * try (SqlHistoryStore store = SqlHistoryStore.sqlite(Path.of("data")).build()) {
 *     Broker broker = Broker.builder().historyStore(store).build();
 *     ...
 *     broker.close();
 * }
 * }</pre>
 *
 * <p>What survives what: after a clean shutdown ({@link #close()}) every topic keeps its epoch and offsets,
 * so clients resume from any cursor they were given with no gap and no duplicate. Events are written by one
 * thread in batches a few milliseconds behind the live fan-out, so a publish acknowledgement (HTTP 200, a
 * native ack, {@code DeviceIngestor}'s return) promises the event was <em>accepted</em>, in order and with its
 * offset, not yet that it is on disk. After a crash the store starts a new epoch for every topic: a client
 * resuming from a cursor of the old epoch gets an EPOCH_CHANGED gap (count unknown, because what the crash
 * lost cannot be known), then the old epoch's stored events after its cursor, then the new epoch; so no
 * offset a subscriber saw is ever reused for another event, and a loss is never silent.
 */
public final class SqlHistoryStore implements HistoryStore, AutoCloseable {
    private final StoreEngine engine;
    private final Duration queryTimeout;
    private final long maxQueryResultBytes;
    private final boolean sharedByNodes;
    /** SQLite's data directory, held for as long as the store is open; null on PostgreSQL. */
    private final DirectoryLock directoryLock;

    private SqlHistoryStore(StoreEngine engine, Duration queryTimeout, long maxQueryResultBytes,
                            boolean sharedByNodes, DirectoryLock directoryLock) {
        this.engine = engine;
        this.queryTimeout = queryTimeout;
        this.maxQueryResultBytes = maxQueryResultBytes;
        this.sharedByNodes = sharedByNodes;
        this.directoryLock = directoryLock;
    }

    /**
     * A store in {@code directory}/streams.db (created with the directory when absent). The directory is locked
     * while the store is open: a second store (in this process or another) on the same directory refuses to
     * start with {@link HistoryStoreException}, naming the holder's pid.
     */
    public static Builder sqlite(Path directory) {
        return new Builder(directory, null);
    }

    /** A store in the PostgreSQL database behind {@code dataSource} (tables are created when absent). */
    public static Builder postgres(DataSource dataSource) {
        return new Builder(null, Objects.requireNonNull(dataSource, "dataSource"));
    }

    @Override
    public TopicHistory open(String project, String topic) {
        return engine.open(project, topic);
    }

    /**
     * Answers a history query in the database (SQL over the stored JSON), newest first, one page; a query
     * running longer than the query timeout is interrupted in the database and refused (DEADLINE_EXCEEDED).
     */
    @Override
    public dev.streams.core.HistoryQuery.Result query(dev.streams.core.HistoryQuery query) {
        return engine.query(query, queryTimeout, maxQueryResultBytes);
    }

    /**
     * Events of the last {@code sinceNanos} on that carry an idempotency key (stored in their attributes, in the
     * same transaction as the event), at most a million: a restarted broker answers their retries.
     */
    @Override
    public java.util.List<dev.streams.core.Event> idempotencyReceipts(long sinceNanos) {
        return engine.idempotencyReceipts(sinceNanos, 1_000_000);
    }

    /** Whether the nodes of a cluster share this database ({@link Builder#sharedByNodes(boolean)}). */
    @Override
    public boolean sharedByNodes() {
        return sharedByNodes;
    }

    /** True: reads that miss the hot ring query the database. */
    @Override
    public boolean readsBlock() {
        return true;
    }

    /** Healthy while batches commit; the last error when they do not; queue depth, write latency, counts. */
    @Override
    public Status status() {
        return engine.status();
    }

    /** Whether this start found that the previous run did not shut down cleanly (so epochs were renewed). */
    public boolean recoveredFromCrash() {
        return engine.recoveredFromCrash();
    }

    /** Runs retention now (it also runs every retention interval by itself). */
    public void enforceRetention() {
        engine.enforceRetention();
    }

    /**
     * Stores everything queued (waiting up to the close timeout), records the clean shutdown and closes the
     * database. Close the broker first, so that nothing is published meanwhile.
     */
    @Override
    public void close() {
        try {
            engine.close();
        } finally {
            if (directoryLock != null) {
                directoryLock.close();
            }
        }
    }

    /** Builds a {@link SqlHistoryStore}; every setting has a default. */
    public static final class Builder {
        private final Path directory;
        private final DataSource dataSource;
        private HistoryLimits hotCache = HistoryLimits.DEFAULT;
        private Retention retention = Retention.DEFAULT;
        private final Map<String, Retention> projectRetention = new HashMap<>();
        private Duration retentionInterval = Duration.ofMinutes(1);
        private int queueCapacity = 100_000;
        private int queueCapacityPerProject;
        private int maxBatch = 20_000;
        private int readLimit = 10_000;
        private int readers = 4;
        private long maxDatabaseBytes;
        private Duration closeTimeout = Duration.ofSeconds(10);
        private boolean sharedByNodes;
        private Duration queryTimeout = Duration.ofSeconds(5);
        private long maxQueryResultBytes = 8L << 20;
        private Duration lockTimeout = Duration.ofSeconds(5);

        private Builder(Path directory, DataSource dataSource) {
            this.directory = directory;
            this.dataSource = dataSource;
        }

        /** The newest events kept in memory per topic for resumes that need no query (default 1024, 4 MiB, 1 h). */
        public Builder hotCache(HistoryLimits limits) {
            this.hotCache = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Retention of every project without its own (default {@link Retention#DEFAULT}). */
        public Builder retention(Retention retention) {
            this.retention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        /** Retention of one project. */
        public Builder retention(String project, Retention retention) {
            projectRetention.put(Objects.requireNonNull(project, "project"), Objects.requireNonNull(retention, "retention"));
            return this;
        }

        /** How often retention runs (default one minute). */
        public Builder retentionInterval(Duration interval) {
            this.retentionInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * Events accepted but not yet written, at most (default 100,000); when the database falls this far
         * behind (or fails), publishes are refused with UNAVAILABLE rather than accepted and lost.
         */
        public Builder queueCapacity(int events) {
            this.queueCapacity = positive(events, "queueCapacity");
            return this;
        }

        /**
         * Events of one project accepted but not yet written, at most (default half of {@link #queueCapacity}), so
         * that one tenant publishing fast cannot fill the queue and have every other project's publishes refused;
         * beyond it that project's publishes are refused with LIMIT_EXCEEDED, counted in
         * {@code streams_history_refused_project_share_total}.
         */
        public Builder queueCapacityPerProject(int events) {
            this.queueCapacityPerProject = positive(events, "queueCapacityPerProject");
            return this;
        }

        /** Events written in one transaction, at most (default 20,000: bigger batches stopped paying). */
        public Builder maxBatch(int events) {
            this.maxBatch = positive(events, "maxBatch");
            return this;
        }

        /** Events one history read returns at most (default 10,000); the broker reports the rest as a gap. */
        public Builder readLimit(int events) {
            this.readLimit = positive(events, "readLimit");
            return this;
        }

        /** Connections for reads (default 4). */
        public Builder readers(int connections) {
            this.readers = positive(connections, "readers");
            return this;
        }

        /** SQLite only: the database file's size limit (default none); past it, writes fail as on a full disk. */
        public Builder maxDatabaseBytes(long bytes) {
            this.maxDatabaseBytes = bytes;
            return this;
        }

        /** SQLite only: how long to wait for a database another process holds locked (default 5 s). */
        public Builder lockTimeout(Duration timeout) {
            this.lockTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * How long a history query may run (default 5 s): then the database interrupts it (SQLite) or cancels it
         * (PostgreSQL), and it is refused with DEADLINE_EXCEEDED. At least 10 ms.
         */
        public Builder queryTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.toMillis() < 10) {
                throw new IllegalArgumentException("queryTimeout must be at least 10 ms");
            }
            this.queryTimeout = timeout;
            return this;
        }

        /**
         * How large one page of a query's answer may be, in bytes of its values (default 8 MiB): a page of
         * 1,000 whole readings of a large payload is refused (INVALID_ARGUMENT) rather than built in memory.
         */
        public Builder maxQueryResultBytes(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxQueryResultBytes must be at least 1024");
            }
            this.maxQueryResultBytes = bytes;
            return this;
        }

        /**
         * Whether every node of a cluster uses this same database (a PostgreSQL server): each event is then
         * written once, by the node that accepted its publish, and every node answers queries from the same
         * rows. Default false: each node writes every event it applies (inserts are idempotent, so a shared
         * database left at false is still correct, at one write attempt per node per event).
         */
        public Builder sharedByNodes(boolean shared) {
            this.sharedByNodes = shared;
            return this;
        }

        /** How long {@link #close()} waits to store what is queued (default 10 s). */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Opens (or creates) the database and starts the writer; throws {@link HistoryStoreException} with why not. */
        public SqlHistoryStore build() {
            String where = directory != null ? directory.resolve("streams.db").toString() : "the PostgreSQL database";
            DirectoryLock lock = null;
            try {
                if (directory != null) {
                    Files.createDirectories(directory);
                    lock = DirectoryLock.acquire(directory);
                }
                Database db = directory != null
                        ? new Database(SqlDialect.SQLITE, sqliteSource(), readers)
                        : new Database(SqlDialect.POSTGRES, dataSource, readers);
                return new SqlHistoryStore(new StoreEngine(db, hotCache, retention, Map.copyOf(projectRetention),
                        retentionInterval, queueCapacity,
                        queueCapacityPerProject > 0 ? queueCapacityPerProject : Math.max(1, queueCapacity / 2), maxBatch,
                        readLimit, closeTimeout), queryTimeout,
                        maxQueryResultBytes, sharedByNodes, lock);
            } catch (SQLException e) {
                releaseQuietly(lock);
                throw new HistoryStoreException("cannot open the history database at " + where + ": " + e.getMessage(), e);
            } catch (IOException e) {
                releaseQuietly(lock);
                throw new HistoryStoreException("cannot create the data directory " + directory + ": " + e, e);
            } catch (RuntimeException e) {
                releaseQuietly(lock);
                throw e;
            }
        }

        private static void releaseQuietly(DirectoryLock lock) {
            if (lock != null) {
                lock.close();
            }
        }

        private DataSource sqliteSource() {
            SQLiteConfig config = new SQLiteConfig();
            config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, lockTimeout.toMillis()));
            if (maxDatabaseBytes > 0) {
                config.setPragma(SQLiteConfig.Pragma.MAX_PAGE_COUNT, Long.toString(Math.max(16, maxDatabaseBytes / 4096)));
            }
            SQLiteDataSource source = new SQLiteDataSource(config);
            source.setUrl("jdbc:sqlite:" + directory.resolve("streams.db").toAbsolutePath());
            return source;
        }

        private static int positive(int value, String name) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return value;
        }
    }
}
