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
        for (int i = 0; i < subscribers; i++) {
            broker.subscribe("bench", "fan.out", StartPosition.latest(), roomy, event -> delivered.increment());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        broker.close();
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
