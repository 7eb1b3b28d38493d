package dev.streams.transport.ws.internal;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where subscriptions that must read the history store (a topic to open, a replay the memory does not cover)
 * are made: a few threads of their own, apart from history queries, taking the projects in turn so that one
 * tenant's reconnect storm delays the others by one replay at a time, never by its whole line. A storm waits;
 * it is refused only past {@code maxWaiting} replays waiting in all, with a retry hint.
 *
 * <p>Concurrency: the lines are guarded by this object's monitor, held only to add or take a task; workers wait
 * on it when there is nothing to do. A task runs outside the monitor.
 */
public final class ReplayQueue {
    private final int maxWaiting;
    /** Projects with replays waiting, in the order they get their next turn. */
    private final LinkedHashMap<String, ArrayDeque<Runnable>> lines = new LinkedHashMap<>();
    private final Thread[] workers;
    private int waiting;
    private boolean stopped;
    /** Replays refused because {@code maxWaiting} were already waiting. */
    public final LongAdder refused = new LongAdder();

    public ReplayQueue(int threads, int maxWaiting, ThreadFactory threadFactory) {
        this.maxWaiting = maxWaiting;
        this.workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = threadFactory.newThread(this::work);
            workers[i].start();
        }
    }

    /** Queues a replay of {@code project}; false (and counted) when the queue is full or stopped. */
    public boolean submit(String project, Runnable replay) {
        synchronized (this) {
            if (stopped || waiting >= maxWaiting) {
                refused.increment();
                return false;
            }
            lines.computeIfAbsent(project, p -> new ArrayDeque<>()).addLast(replay);
            waiting++;
            notify();
            return true;
        }
    }

    /** Replays waiting now, for {@code /metrics}. */
    public synchronized int waiting() {
        return waiting;
    }

    private void work() {
        while (true) {
            Runnable next;
            synchronized (this) {
                while (waiting == 0 && !stopped) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (stopped) {
                    return;
                }
                next = takeInTurn();
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                // A task reports its own failures to its session; the worker goes on with the next.
            }
        }
    }

    /** The oldest replay of the project whose turn it is; the project goes to the back of the round. */
    private Runnable takeInTurn() {
        Map.Entry<String, ArrayDeque<Runnable>> first = lines.entrySet().iterator().next();
        ArrayDeque<Runnable> line = first.getValue();
        Runnable task = line.pollFirst();
        lines.remove(first.getKey());
        if (!line.isEmpty()) {
            lines.put(first.getKey(), line);
        }
        waiting--;
        return task;
    }

    /** Stops the workers; replays still waiting are dropped (their sessions are closing with the server). */
    public void shutdown() {
        synchronized (this) {
            stopped = true;
            lines.clear();
            waiting = 0;
            notifyAll();
        }
    }
}
