package dev.streams.transport.ws.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * One event-loop turn of one connection: {@code frames} encoded events of 200 bytes framed into the turn's
 * buffer, then written. A loaded fan-out server hands each subscriber several events a turn, so how the turn's
 * buffer is sized and grown is paid once per delivery. (JMH's thread is not an event loop's: Netty's allocator
 * serves it from its shared pools rather than a thread's own, so compare builds with this, not absolute costs.)
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FrameBatcherBenchmark {
    @Param({"1", "8", "32"})
    int frames;

    private final byte[] event = new byte[200];
    private EmbeddedChannel channel;
    private FrameBatcher batcher;

    @Setup
    public void setUp() {
        Arrays.fill(event, (byte) 'x');
        channel = new EmbeddedChannel();
        batcher = new FrameBatcher(channel, new OutboundBudget(1L << 30));
    }

    @Benchmark
    public void turn() {
        for (int i = 0; i < frames; i++) {
            batcher.add(event);
        }
        batcher.flush();
        // The end-of-turn task the first frame scheduled, and what the channel "sent".
        channel.runPendingTasks();
        for (ByteBuf sent; (sent = channel.readOutbound()) != null; ) {
            sent.release();
        }
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
    }
}
