package dev.streams.core.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The broker's own threads and the order they stop in: the pool that runs listeners (unless the host gave an
 * executor, which the broker then never shuts down) and the one timer thread (expiry by age, idle eviction).
 */
public final class BrokerThreads {
    private final ThreadPoolExecutor ownedPool;
    private final Executor delivery;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread t = new Thread(task, "streams-janitor");
        t.setDaemon(true);
        return t;
    });

    /** Runs listeners on {@code given}, or on a pool of {@code threads} of the broker's own when it is null. */
    public BrokerThreads(Executor given, int threads) {
        this.ownedPool = given != null ? null : pool(threads);
        this.delivery = given != null ? given : ownedPool;
    }

    /**
     * A fixed pool with one FIFO queue: a listener that blocks holds one thread while the others keep
     * draining everyone else. (A ForkJoinPool gave no such guarantee: under load, drains queued behind a
     * blocked worker could wait indefinitely.)
     */
    private static ThreadPoolExecutor pool(int threads) {
        AtomicInteger ids = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread t = new Thread(task, "streams-delivery-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Where listeners run. */
    public Executor delivery() {
        return delivery;
    }

    /** Runs {@code task} on the timer thread every {@code interval}. */
    public void every(Duration interval, Runnable task) {
        long millis = interval.toMillis();
        timer.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Stops the timer: the first step of a close. */
    public void stopTimer() {
        timer.shutdownNow();
    }

    /**
     * The rest of a close, within {@code deadline} (System.nanoTime()): waits for publishes in flight, then for
     * each closing subscription to deliver its close (one still busy at the deadline has its queue abandoned, so
     * its close goes out next), then stops the broker's own pool.
     */
    public void drain(LongAdder publishesInFlight, List<QueuedSubscription> closing, long deadline) {
        while (publishesInFlight.sum() != 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        for (QueuedSubscription sub : closing) {
            while (!sub.isFinished()) {
                if (System.nanoTime() >= deadline) {
                    sub.abandonQueue();
                    break;
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (ownedPool != null) {
            ownedPool.shutdown();
            try {
                ownedPool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
