package dev.streams.benchmarks;

import dev.streams.core.Broker;
import dev.streams.core.ProjectLimits;
import dev.streams.core.Event;
import dev.streams.core.StartPosition;
import dev.streams.core.Subscription;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Matching with 100,000 wildcard subscriptions ({@code devices.<i>.*}): publishing to one device's topic
 * (one match, cached), and the same right after a subscription changed (the match is recomputed in the trie).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WildcardBenchmark {
    private static final int SUBSCRIPTIONS = 100_000;
    private Broker broker;
    private final byte[] payload = new byte[16];
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        // No per-project bounds: the default publish rate limit (100,000/s) would refuse the benchmark itself.
        broker = Broker.builder().projectLimits(ProjectLimits.UNLIMITED).build();
        for (int i = 0; i < SUBSCRIPTIONS; i++) {
            broker.subscribe("bench", "devices." + i + ".*", StartPosition.latest(), event -> { });
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        broker.close();
    }

    @Benchmark
    public Event publishWithCachedMatch() {
        return broker.publish("bench", "devices.77.stream", payload);
    }

    @Benchmark
    public Event publishAfterSubscriptionChurn() {
        Subscription churn = broker.subscribe("bench", "other." + (next++ & 1023) + ".*", StartPosition.latest(), e -> { });
        churn.cancel();
        return broker.publish("bench", "devices." + (next % SUBSCRIPTIONS) + ".stream", payload);
    }
}
