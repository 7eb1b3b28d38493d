package dev.streams.benchmarks;

import dev.streams.core.Broker;
import dev.streams.core.ProjectLimits;
import dev.streams.core.OverflowPolicy;
import dev.streams.core.StartPosition;
import dev.streams.core.SubscribeOptions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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

    @Benchmark
    public long publishBatchAndAwaitDelivery() {
        for (int i = 0; i < BATCH; i++) {
            broker.publish("bench", "fan.out", payload);
        }
        expected += (long) BATCH * subscribers;
        while (delivered.sum() < expected) {
            Thread.onSpinWait();
        }
        return expected;
    }
}
