package dev.streams.history.internal;

import dev.streams.core.ErrorKind;
import dev.streams.core.Event;
import dev.streams.core.HistoryLimits;
import dev.streams.core.HistoryQuery;
import dev.streams.core.HistoryStore;
import dev.streams.core.StreamsException;
import dev.streams.core.TopicHistory;
import dev.streams.history.Retention;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The store's moving parts: crash detection at start, opening topics, retention, health, and a clean close.
 * A meta row {@code clean} is 0 while the store runs and 1 after a clean close; finding 0 at start means the
 * last run crashed, and every topic gets a new epoch before anything else is written.
 */
public final class StoreEngine {
    private static final System.Logger LOG = System.getLogger(StoreEngine.class.getName());
    private static final SecureRandom EPOCHS = new SecureRandom();

    private final Database db;
    private final Writer writer;
    private final HistoryLimits hotCache;
    private final Retention retention;
    private final Map<String, Retention> projectRetention;
    private final long retentionIntervalNanos;
    private final int readLimit;
    private final Duration closeTimeout;
    private final boolean recoveredFromCrash;
    private final AtomicLong retentionVersion = new AtomicLong();
    private final LongAdder expired = new LongAdder();
    private final LongAdder queriesStopped = new LongAdder();
    /** Stops queries at their deadline (see StatementDeadline); one daemon thread that only calls cancel(). */
    private final ScheduledThreadPoolExecutor deadlines = deadlineTimer();
    private final Clock clock = Clock.systemUTC();
    private volatile long nextRetentionNanos;
    private volatile boolean retentionRequested;
    private volatile boolean closed;

    public StoreEngine(Database db, HistoryLimits hotCache, Retention retention, Map<String, Retention> projectRetention,
                       Duration retentionInterval, int queueCapacity, int queueSharePerProject, int maxBatch, int readLimit,
                       Duration closeTimeout)
            throws SQLException {
        this.db = db;
        this.hotCache = hotCache;
        this.retention = retention;
        this.projectRetention = projectRetention;
        this.retentionIntervalNanos = retentionInterval.toNanos();
        this.readLimit = readLimit;
        this.closeTimeout = closeTimeout;
        try {
            String clean = db.meta("clean");
            this.recoveredFromCrash = "0".equals(clean);
            if (recoveredFromCrash) {
                int topics = db.newEpochForEveryTopic();
                LOG.log(Level.WARNING, "the history store was not closed cleanly; " + topics
                        + " topics start a new epoch, so resuming clients are told of a possible loss");
            }
            db.setMeta("clean", "0");
        } catch (SQLException e) {
            db.close();
            throw e;
        }
        this.nextRetentionNanos = System.nanoTime() + retentionIntervalNanos;
        this.writer = new Writer(db, queueCapacity, queueSharePerProject, maxBatch, this::maintain);
        writer.start();
    }

    private static ScheduledThreadPoolExecutor deadlineTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "streams-query-deadline");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    public boolean recoveredFromCrash() {
        return recoveredFromCrash;
    }

    /** The topic's stored epoch and offsets, or a new epoch for a topic never stored. */
    public TopicHistory open(String project, String topic) {
        if (closed) {
            throw new StreamsException(ErrorKind.CLOSED, "the history store is closed");
        }
        try {
            Database.TopicState stored = db.topic(project, topic);
            if (stored.epoch() == null) {
                long epoch = EPOCHS.nextLong() & Long.MAX_VALUE;
                return new DurableTopicHistory(project, topic, epoch, 0, 0, Long.MAX_VALUE, 0, 0, db, writer, hotCache,
                        readLimit, retentionVersion::get);
            }
            long first = db.firstOffset(stored.topicId(), stored.epoch());
            return new DurableTopicHistory(project, topic, stored.epoch(), stored.projectId(), stored.topicId(), first,
                    stored.lastOffset(), stored.lastTimestampNanos(), db, writer, hotCache, readLimit,
                    retentionVersion::get);
        } catch (SQLException e) {
            throw unavailable("opening topic " + topic, e);
        }
    }

    /**
     * A database failure as a client sees it: UNAVAILABLE, with no database text (which names tables, files and
     * the SQL); the operator finds the cause in the log.
     */
    static StreamsException unavailable(String doing, SQLException e) {
        LOG.log(Level.WARNING, "history store failed " + doing + ": " + e.getMessage());
        return new StreamsException(ErrorKind.UNAVAILABLE, "the history store cannot be read now; try again");
    }

    /** Recent events with idempotency keys (see {@link IdempotencyReceipts}); read once, at start. */
    public List<Event> idempotencyReceipts(long sinceNanos, int limit) {
        try {
            return IdempotencyReceipts.read(db.readers(), sinceNanos, limit);
        } catch (SQLException e) {
            throw new StreamsException(ErrorKind.UNAVAILABLE, "cannot read recent idempotency keys: " + e.getMessage());
        }
    }

    /**
     * Answers a history query, stopped in the database after {@code timeout}: a stopped one is refused with
     * DEADLINE_EXCEEDED, an oversize answer with INVALID_ARGUMENT. The database's own error text is logged, not
     * returned: it may describe the schema or another tenant's data.
     */
    public HistoryQuery.Result query(HistoryQuery query, Duration timeout, long maxResultBytes) {
        if (closed) {
            throw new StreamsException(ErrorKind.CLOSED, "the history store is closed");
        }
        try {
            return db.query(query, System.nanoTime() + timeout.toNanos(), deadlines, maxResultBytes);
        } catch (QuerySql.DeadlinePassed e) {
            queriesStopped.increment();
            throw new StreamsException(ErrorKind.DEADLINE_EXCEEDED, "the query takes more than " + timeout.toMillis()
                    + " ms; narrow its time range, devices or filters");
        } catch (QuerySql.ResultTooLarge e) {
            throw new StreamsException(ErrorKind.INVALID_ARGUMENT, e.getMessage());
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "history query failed: " + e.getMessage());
            throw new StreamsException(ErrorKind.UNAVAILABLE, "the history store could not answer; try again");
        }
    }

    public void enforceRetention() {
        retentionRequested = true;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (retentionRequested && System.nanoTime() < deadline && !closed) {
            Thread.onSpinWait();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** On the writer thread between batches: retention when due. */
    private void maintain() {
        if (!retentionRequested && System.nanoTime() < nextRetentionNanos) {
            return;
        }
        try {
            long now = clock.instant().toEpochMilli() * 1_000_000L;
            long deleted = 0;
            for (Map.Entry<Long, String> entry : db.projects().entrySet()) {
                long project = entry.getKey();
                Retention r = projectRetention.getOrDefault(entry.getValue(), retention);
                deleted += db.deleteOlderThan(project, now - saturatedNanos(r.maxAge()));
                long cutoff = db.retentionCutoff(project, r.maxEvents(), r.maxBytes());
                if (cutoff != Long.MIN_VALUE) {
                    deleted += db.deleteUpTo(project, cutoff);
                }
            }
            if (deleted > 0) {
                expired.add(deleted);
                retentionVersion.incrementAndGet();
            }
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "history retention failed: " + e.getMessage());
        } finally {
            nextRetentionNanos = System.nanoTime() + retentionIntervalNanos;
            retentionRequested = false;
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 2;
        }
    }

    public HistoryStore.Status status() {
        Map<String, Number> metrics = new LinkedHashMap<>();
        metrics.put("streams_history_queue_depth", writer.depth());
        metrics.put("streams_history_stored_total", writer.stored.sum());
        metrics.put("streams_history_batches_total", writer.batches.sum());
        metrics.put("streams_history_write_failures_total", writer.failures.sum());
        metrics.put("streams_history_refused_total", writer.refused.sum());
        metrics.put("streams_history_refused_project_share_total", writer.refusedForShare.sum());
        metrics.put("streams_history_expired_total", expired.sum());
        metrics.put("streams_history_queries_stopped_total", queriesStopped.sum());
        metrics.put("streams_history_last_commit_micros", writer.lastCommitMicros());
        metrics.put("streams_history_healthy", writer.healthy() ? 1 : 0);
        return new HistoryStore.Status(writer.healthy() && !closed, closed ? "closed" : writer.lastError(), metrics);
    }

    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        writer.close(closeTimeout.toMillis());
        try {
            if (writer.depth() == 0 && writer.healthy()) {
                db.setMeta("clean", "1");
            } else {
                LOG.log(Level.ERROR, writer.depth() + " events were not stored; the next start renews every epoch");
            }
        } catch (SQLException e) {
            LOG.log(Level.ERROR, "cannot record the clean shutdown: " + e.getMessage());
        } finally {
            deadlines.shutdownNow();
            db.close();
        }
    }
}
