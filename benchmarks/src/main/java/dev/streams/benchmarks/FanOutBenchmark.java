package dev.streams.benchmarks;

import dev.streams.core.Broker;
import dev.streams.core.ProjectLimits;
import dev.streams.core.OverflowPolicy;
import dev.streams.core.StartPosition;
import dev.streams.core.SubscribeOptions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Publish to deliver, in process: one operation publishes {@link #BATCH} events to a topic with N subscribers
 * and waits until every subscriber has them, so deliveries per second = ops/s x BATCH x subscribers.
 *
 * <p>With {@code executors=loops}, {@link LoopCpu} also counts the deliveries and the CPU time the two loop
 * threads spent on them: their ratio is the CPU per delivery, and its inverse the deliveries per second one core
 * makes, whatever else the machine runs (throughput alone swings with the publisher's spinning and neighbours).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FanOutBenchmark {
    static final int BATCH = 1000;

    @Param({"1", "100", "10000"})
    int subscribers;

    /**
     * Where listeners run: {@code pool}, the broker's delivery pool (one task per subscriber per event), or
     * {@code loops}, two single-thread executors given as event loops (one hand-off per loop per event).
     */
    @Param({"pool", "loops"})
    String executors;

    private java.util.concurrent.ExecutorService[] loops = new java.util.concurrent.ExecutorService[0];
    private long[] loopThreads = new long[0];

    private Broker broker;
    private final LongAdder delivered = new LongAdder();
    private final byte[] payload = new byte[128];
    private long expected;

    @Setup(Level.Trial)
    public void setUp() {
        // No per-project bounds: the default publish rate limit (100,000/s) would refuse the benchmark itself.
        broker = Broker.builder().projectLimits(ProjectLimits.UNLIMITED).build();
        SubscribeOptions roomy = SubscribeOptions.builder().maxQueuedEvents(BATCH * 2)
                .overflowPolicy(OverflowPolicy.DROP_OLDEST).build();
        if (executors.equals("loops")) {
            loops = new java.util.concurrent.ExecutorService[] {
                    java.util.concurrent.Executors.newSingleThreadExecutor(),
                    java.util.concurrent.Executors.newSingleThreadExecutor()};
            loopThreads = new long[loops.length];
            for (int i = 0; i < loops.length; i++) {
                int slot = i;
                try {
                    loops[i].submit(() -> loopThreads[slot] = Thread.currentThread().getId()).get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        for (int i = 0; i < subscribers; i++) {
            SubscribeOptions options = loops.length == 0 ? roomy : roomy.toBuilder().eventLoop(loops[i % loops.length]).build();
            broker.subscribe("bench", "fan.out", StartPosition.latest(), options, event -> delivered.increment());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        broker.close();
        for (java.util.concurrent.ExecutorService loop : loops) {
            loop.shutdownNow();
        }
    }

    /** Deliveries and the loop threads' CPU time in an iteration (JMH sums them over its invocations). */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class LoopCpu {
        /** Deliveries made. */
        public long deliveries;
        /** CPU time the loop threads spent, in microseconds. */
        public long loopCpuMicros;
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private long loopCpuNanos() {
        long sum = 0;
        for (long id : loopThreads) {
            sum += THREADS.getThreadCpuTime(id);
        }
        return sum;
    }

    @Benchmark
    public long publishBatchAndAwaitDelivery(LoopCpu cpu) {
        long cpuBefore = loopCpuNanos();
        for (int i = 0; i < BATCH; i++) {
            broker.publish("bench", "fan.out", payload);
        }
        expected += (long) BATCH * subscribers;
        while (delivered.sum() < expected) {
            Thread.onSpinWait();
        }
        cpu.deliveries += (long) BATCH * subscribers;
        cpu.loopCpuMicros += (loopCpuNanos() - cpuBefore) / 1000;
        return expected;
    }
}
