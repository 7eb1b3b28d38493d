package dev.streams.transport.ws.internal;

import dev.streams.core.TimedEventLoop;
import dev.streams.transport.ws.MetricSample;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How long the server takes from an event's fan-out to the end of the write pass that hands it to the sockets of
 * an event loop's subscribers, for the events the broker samples ({@link TimedEventLoop}): a latency of the
 * server's own, which a client that falls behind its reads cannot inflate. Recorded once per sampled event and
 * loop, so the figure is the loop's last subscriber's (all of a pass's writes are handed to the kernel before it
 * is read); a subscriber whose socket is full waits longer, and is not in it.
 *
 * <p>Kept as a cumulative histogram in microseconds, exported in Prometheus' histogram form
 * ({@code _bucket{le=…}}, {@code _sum}, {@code _count}). Written by the event loops, one sample in
 * {@value TimedEventLoop#SAMPLE_EVERY} events per topic, so atomics cost nothing that shows.
 */
final class FanOutLatency {
    private static final String NAME = "streams_fanout_latency_microseconds";
    private static final String HELP = "Sampled events: from the broker's fan-out to the end of the event loop's "
            + "write pass that carried them, in microseconds.";
    /** Upper bounds of the buckets, in microseconds; one more bucket counts everything above. */
    static final long[] BOUNDS = {50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000,
            500_000, 1_000_000, 5_000_000};

    /** counts[i]: samples within BOUNDS[i] and above the bound before (the last: above every bound). */
    private final AtomicLongArray counts = new AtomicLongArray(BOUNDS.length + 1);
    /** The sum of the samples in microseconds (how many there are is the buckets' total). */
    private final AtomicLong sumMicros = new AtomicLong();
    private final ConcurrentHashMap<EventLoop, Loop> loops = new ConcurrentHashMap<>();

    /**
     * The executor to subscribe on for {@code loop}: the loop itself, which also times the sampled events it
     * delivers. The same object for the same loop, as the broker requires.
     */
    TimedEventLoop loop(EventLoop loop) {
        Loop timed = loops.get(loop);
        return timed != null ? timed : loops.computeIfAbsent(loop, Loop::new);
    }

    /** Records one sample of {@code nanos}. */
    void record(long nanos) {
        long micros = Math.max(0, nanos / 1_000);
        int bucket = 0;
        while (bucket < BOUNDS.length && micros > BOUNDS[bucket]) {
            bucket++;
        }
        counts.incrementAndGet(bucket);
        sumMicros.addAndGet(micros);
    }

    /** The histogram as {@code /metrics} lists it: cumulative buckets, then the sum and the count. */
    void addSamples(List<MetricSample> out) {
        long cumulative = 0;
        for (int i = 0; i <= BOUNDS.length; i++) {
            cumulative += counts.get(i);
            String le = i < BOUNDS.length ? Long.toString(BOUNDS[i]) : "+Inf";
            out.add(new MetricSample(NAME + "_bucket", true, HELP, Map.of("le", le), cumulative));
        }
        out.add(new MetricSample(NAME + "_sum", true, HELP, Map.of(), sumMicros.get()));
        out.add(new MetricSample(NAME + "_count", true, HELP, Map.of(), cumulative));
    }

    /** A Netty event loop as the broker's executor: runs its tasks, and times its sampled fan-outs. */
    private final class Loop implements TimedEventLoop {
        private final EventLoop loop;

        Loop(EventLoop loop) {
            this.loop = loop;
        }

        @Override
        public void execute(Runnable task) {
            loop.execute(task);
        }

        @Override
        public void handedSample(long fanOutNanos) {
            LoopFlusher flusher = LoopFlusher.of(loop);
            if (flusher != null) {
                flusher.timeNextPass(fanOutNanos, FanOutLatency.this);
            }
        }
    }
}
