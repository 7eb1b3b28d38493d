package dev.streams.core.internal;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The broker's own delivery threads, and how a closing broker waits for its subscriptions to drain. */
public final class DeliveryPool {
    private DeliveryPool() {
    }

    /**
     * A fixed pool with one FIFO queue: a listener that blocks holds one thread while the others keep
     * draining everyone else. (A ForkJoinPool gave no such guarantee: under load, drains queued behind a
     * blocked worker could wait indefinitely.)
     */
    /** The broker's one timer thread (expiry by age, idle eviction), a daemon. */
    public static java.util.concurrent.ScheduledExecutorService janitor() {
        return java.util.concurrent.Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "streams-janitor");
            t.setDaemon(true);
            return t;
        });
    }

    /** Spins until {@code inFlight} reads zero (publishes finishing as the broker closes) or the deadline. */
    public static void awaitZero(java.util.concurrent.atomic.LongAdder inFlight, long deadline) {
        while (inFlight.sum() != 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    public static ThreadPoolExecutor create(int threads) {
        AtomicInteger ids = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread t = new Thread(task, "streams-delivery-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Waits until each subscription delivered its close, up to {@code deadline} (System.nanoTime()); one
     * still busy then has its queue abandoned, so its close goes out next.
     */
    public static void awaitFinished(List<QueuedSubscription> closing, long deadline) {
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
    }

    /** Shuts {@code pool} down and waits for its threads until {@code deadline}. */
    public static void shutdown(ThreadPoolExecutor pool, long deadline) {
        pool.shutdown();
        try {
            pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
