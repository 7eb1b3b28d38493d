package dev.streams.transport.ws.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Where history queries run, one project's at a time within bounds: at most {@code perProject} of a project's
 * queries run at once on the query threads, so one tenant's heavy queries leave threads for the others; the
 * next few wait in the project's line (at most {@code maxWaiting}, each at most {@code maxWait}); beyond that,
 * or after waiting that long, a query is refused with a retry hint.
 *
 * <p>Concurrency: every line is guarded by this object's monitor, held only to count and to move a waiter;
 * never while a query runs.
 */
public final class QueryGate {
    /** Why a query was not run, and after how many seconds a retry may pass. */
    public record Refusal(String message, int retryAfterSeconds, boolean limit) {
    }

    private final ExecutorService executor;
    private final ScheduledExecutorService timer;
    private final int perProject;
    private final int maxWaiting;
    private final Duration maxWait;
    private final Map<String, Line> lines = new HashMap<>();

    /** One project's running count and waiting queries. */
    private static final class Line {
        int running;
        final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    }

    /** A query waiting in its project's line; {@code timeout} is set and read under the gate's monitor. */
    private static final class Waiter {
        final Runnable query;
        final Consumer<Refusal> onRefused;
        ScheduledFuture<?> timeout;

        Waiter(Runnable query, Consumer<Refusal> onRefused) {
            this.query = query;
            this.onRefused = onRefused;
        }
    }

    public QueryGate(ExecutorService executor, ScheduledExecutorService timer, int perProject, int maxWaiting,
                     Duration maxWait) {
        this.executor = executor;
        this.timer = timer;
        this.perProject = perProject;
        this.maxWaiting = maxWaiting;
        this.maxWait = maxWait;
    }

    /**
     * A gate over {@code threads} query threads of its own, with a short queue behind them (more at once is
     * refused with 503 rather than piled up); {@code perProject} 0 means one less than the threads, at least one.
     */
    public static QueryGate create(int threads, int perProject, int maxWaiting, Duration maxWait) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(64), new DefaultThreadFactory("streams-history-query", true));
        pool.allowCoreThreadTimeOut(true);
        return new QueryGate(pool, GlobalEventExecutor.INSTANCE, perProject > 0 ? perProject : Math.max(1, threads - 1),
                maxWaiting, maxWait);
    }

    /**
     * Runs {@code query} on a query thread when its project has a free place, now or after a short wait; or
     * calls {@code onRefused} (on the caller's thread, or on a timer thread after waiting) and never runs it.
     */
    public void submit(String project, Runnable query, Consumer<Refusal> onRefused) {
        Waiter waiter = new Waiter(query, onRefused);
        synchronized (this) {
            Line line = lines.computeIfAbsent(project, p -> new Line());
            if (line.running >= perProject) {
                if (line.waiting.size() >= maxWaiting) {
                    forgetIfIdle(project, line);
                    onRefused.accept(new Refusal("project " + project + " has " + perProject + " history queries running and "
                            + maxWaiting + " waiting; try again", retryAfterSeconds(), true));
                    return;
                }
                line.waiting.addLast(waiter);
                waiter.timeout = timer.schedule(() -> expire(project, waiter), maxWait.toNanos(),
                        TimeUnit.NANOSECONDS);
                return;
            }
            line.running++;
        }
        start(project, waiter);
    }

    private void start(String project, Waiter waiter) {
        try {
            executor.execute(() -> {
                try {
                    waiter.query.run();
                } finally {
                    finished(project);
                }
            });
        } catch (RejectedExecutionException busy) {
            finished(project);
            waiter.onRefused.accept(new Refusal("too many history queries at once; try again", retryAfterSeconds(),
                    false));
        }
    }

    /** A query of the project ended: its place goes to the next waiter, if any. */
    private void finished(String project) {
        Waiter next;
        synchronized (this) {
            Line line = lines.get(project);
            next = line.waiting.pollFirst();
            if (next == null) {
                line.running--;
                forgetIfIdle(project, line);
                return;
            }
            next.timeout.cancel(false);
        }
        start(project, next);
    }

    private void expire(String project, Waiter waiter) {
        synchronized (this) {
            Line line = lines.get(project);
            if (line == null || !line.waiting.remove(waiter)) {
                return;
            }
        }
        waiter.onRefused.accept(new Refusal("project " + project + " waited " + maxWait.toMillis()
                + " ms for a history query place; try again", retryAfterSeconds(), true));
    }

    private void forgetIfIdle(String project, Line line) {
        if (line.running == 0 && line.waiting.isEmpty()) {
            lines.remove(project);
        }
    }

    private int retryAfterSeconds() {
        return (int) Math.max(1, maxWait.toSeconds());
    }

    /** Stops the query threads. */
    public void shutdown() {
        executor.shutdownNow();
    }
}
