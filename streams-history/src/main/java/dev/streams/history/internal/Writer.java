package dev.streams.history.internal;

import dev.streams.core.Event;
import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The store's one writer: a bounded queue that publishers fill without waiting (a full queue refuses, so a
 * publish is never accepted and then dropped) and a thread that commits whatever has gathered in one
 * transaction, so that a busier store writes bigger batches rather than falling behind. A batch that fails is
 * kept and retried, with back-off, until it is stored; meanwhile the store reports itself unhealthy and the
 * queue fills, which refuses publishes with a clear error. Between batches the thread runs maintenance
 * (retention).
 *
 * <p>One project may hold at most its share of the queue, so that a tenant publishing fast (within its own rate)
 * cannot fill it and have every other project's publishes refused. Each project's count is taken when an event
 * is queued and given back when it is committed.
 */
public final class Writer {
    private static final System.Logger LOG = System.getLogger(Writer.class.getName());

    /** What {@link #offer} did. */
    enum Offer {
        QUEUED,
        /** The queue is full (the database is behind or failing), or the store is closing. */
        FULL,
        /** This project holds its share of the queue already. */
        PROJECT_FULL
    }

    /** One event waiting to be stored, and the history to tell once it is. */
    record Pending(DurableTopicHistory history, Event event) {
    }

    private final Database db;
    private final ArrayBlockingQueue<Pending> queue;
    private final int maxPerProject;
    private final ConcurrentHashMap<String, AtomicInteger> queuedPerProject = new ConcurrentHashMap<>();
    private final int maxBatch;
    private final Runnable maintenance;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile boolean healthy = true;
    private volatile String lastError = "ok";
    /** What a refused publisher is told while the store fails: a cause it can act on, never the database's text. */
    private volatile String clientReason = "the history store is failing; try again";
    private volatile long lastCommitMicros;
    final LongAdder stored = new LongAdder();
    final LongAdder batches = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder refused = new LongAdder();
    /** Of {@link #refused}, those refused for their project's share. */
    final LongAdder refusedForShare = new LongAdder();

    Writer(Database db, int capacity, int maxPerProject, int maxBatch, Runnable maintenance) {
        this.db = db;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.maxPerProject = maxPerProject;
        this.maxBatch = maxBatch;
        this.maintenance = maintenance;
        this.thread = new Thread(this::run, "streams-history-writer");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues an event, or says why not (the caller refuses the publish). */
    Offer offer(DurableTopicHistory history, Event event) {
        AtomicInteger share = queuedPerProject.computeIfAbsent(history.project(), p -> new AtomicInteger());
        if (share.incrementAndGet() > maxPerProject) {
            share.decrementAndGet();
            refused.increment();
            if (!healthy) {
                // The store is failing for everyone: that, not the share, is why.
                return Offer.FULL;
            }
            refusedForShare.increment();
            return Offer.PROJECT_FULL;
        }
        if (stopping || !queue.offer(new Pending(history, event))) {
            share.decrementAndGet();
            refused.increment();
            return Offer.FULL;
        }
        return Offer.QUEUED;
    }

    /** Events of {@code project} queued and not yet committed. */
    int queuedOf(String project) {
        AtomicInteger share = queuedPerProject.get(project);
        return share == null ? 0 : share.get();
    }

    int depth() {
        return queue.size();
    }

    boolean healthy() {
        return healthy;
    }

    /** Why the store is unhealthy; "ok" while it is healthy. */
    String lastError() {
        return healthy ? "ok" : lastError;
    }

    long lastCommitMicros() {
        return lastCommitMicros;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (!stopping || !queue.isEmpty()) {
            Pending first;
            try {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                first = null;
            }
            if (first == null) {
                runMaintenance();
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, maxBatch - 1);
            storeUntilDone(batch);
            batch.clear();
        }
    }

    private void runMaintenance() {
        try {
            maintenance.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "history maintenance failed", e);
        }
    }

    /** Stores a batch, retrying with back-off; gives up only when closing and the close timeout passed. */
    private void storeUntilDone(List<Pending> batch) {
        long backoff = 50;
        while (true) {
            try {
                store(batch);
                healthy = true;
                return;
            } catch (SQLException e) {
                failures.increment();
                if (healthy) {
                    LOG.log(Level.WARNING, "storing " + batch.size() + " events failed; retrying until it works", e);
                }
                // The reason first: whoever sees "unhealthy" must find why.
                lastError = "history store: " + e.getMessage();
                clientReason = isFull(e) ? "the history store is full; try again later"
                        : "the history store is failing; try again";
                healthy = false;
                if (stopping && System.nanoTime() > giveUpAt) {
                    LOG.log(Level.ERROR, "closing with " + batch.size() + " events not stored: " + e.getMessage());
                    return;
                }
                sleep(backoff);
                backoff = Math.min(5000, backoff * 2);
            }
        }
    }

    private void store(List<Pending> batch) throws SQLException {
        Map<DurableTopicHistory, Boolean> newTopics = new LinkedHashMap<>();
        List<DurableTopicHistory> owners = new ArrayList<>(batch.size());
        List<Event> events = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            if (!p.history().epochStored()) {
                newTopics.put(p.history(), Boolean.TRUE);
            }
            owners.add(p.history());
            events.add(p.event());
        }
        long start = System.nanoTime();
        try {
            db.writeBatch(List.copyOf(newTopics.keySet()), owners, events);
        } catch (SQLException e) {
            if (!isDataError(e)) {
                throw e;
            }
            // One row the database refuses (a payload labelled JSON that is not): store the rest row by row
            // and that one as bytes, so that nothing valid waits behind it.
            db.writeBatch(List.copyOf(newTopics.keySet()), List.of(), List.of());
            for (Pending p : batch) {
                DurableTopicHistory h = p.history();
                try {
                    db.writeOne(p.event(), h.topicId(), h.projectId(), true);
                } catch (SQLException refused) {
                    if (!isDataError(refused)) {
                        throw refused;
                    }
                    db.writeOne(p.event(), h.topicId(), h.projectId(), false);
                }
            }
        }
        lastCommitMicros = (System.nanoTime() - start) / 1000;
        batches.increment();
        stored.add(events.size());
        for (Pending p : batch) {
            p.history().committed(p.event().epoch(), p.event().offset());
            // Entries stay once made: one per project that ever published, as the database's own project rows.
            queuedPerProject.get(p.history().project()).decrementAndGet();
        }
    }

    /** Why publishes are refused while the store is unhealthy, in words fit for any client. */
    String clientReason() {
        return clientReason;
    }

    /** The database or its disk is full: SQLite's SQLITE_FULL (13), PostgreSQL's disk_full (53100). */
    private static boolean isFull(SQLException e) {
        return e.getErrorCode() == 13 || "53100".equals(e.getSQLState());
    }

    /** A value the database refuses (SQL state class 22: data exception), as opposed to a database failure. */
    private static boolean isDataError(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("22");
    }

    private volatile long giveUpAt = Long.MAX_VALUE;

    /** Stops taking events, stores what is queued (for at most {@code timeoutMillis}), then returns. */
    void close(long timeoutMillis) {
        giveUpAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        stopping = true;
        try {
            thread.join(timeoutMillis + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
