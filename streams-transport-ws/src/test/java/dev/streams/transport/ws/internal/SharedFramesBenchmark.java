package dev.streams.transport.ws.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.channel.local.LocalChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One event loop's hand-over and write pass, per delivery: {@code topics} topics published in turn,
 * {@value #EVENTS} events of 150 bytes for each, every event handed to its topic's share of {@value #CONNECTIONS}
 * connections as a loop hands them, then the pass; each connection takes {@value #EVENTS} events whatever the
 * number of topics. Each connection subscribes to one topic, so with several topics its frames are not side by
 * side in the lane of every topic. The channels' writes go nowhere (no system call is measured): what is left is
 * framing, sharing or copying, and the pass. Run with {@code -prof gc} for bytes per delivery.
 * {@code topicLanes=false} is how every connection asked before one-topic connections had lanes of their own.
 * {@code kind}: a frame per event ({@code frames}), or the events of a turn in one multi-message frame
 * ({@code batch=true}) from the loop's shared lines ({@code lines}) or copied per connection, as every connection
 * did before ({@code copiedLines}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SharedFramesBenchmark {
    static final int CONNECTIONS = 100;
    static final int EVENTS = 16;

    @Param({"1", "4"})
    int topics;

    /** Whether the connections ask for their topic's lane (as one-topic sessions do), or the lane of every topic. */
    @Param({"true", "false"})
    boolean topicLanes;

    @Param({"frames", "lines", "copiedLines"})
    String kind;

    private EventLoop loop;
    private final List<FrameBatcher> batchers = new ArrayList<>();
    private final List<byte[]> payloads = new ArrayList<>();
    private final List<String> topicNames = new ArrayList<>();
    private Runnable pass;

    /** Takes a channel's writes as a socket that is always ready would, and lets them go. */
    private static final class Discard extends ChannelOutboundHandlerAdapter {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
        }
    }

    @Setup
    public void setUp() throws Exception {
        loop = new DefaultEventLoop();
        OutboundBudget budget = new OutboundBudget(1L << 30);
        for (int i = 0; i < CONNECTIONS; i++) {
            LocalChannel channel = new LocalChannel();
            channel.pipeline().addLast(new Discard());
            loop.register(channel).sync();
            batchers.add(loop.submit(() -> new FrameBatcher(channel, budget)).get());
        }
        for (int t = 0; t < topics; t++) {
            topicNames.add("topic-" + t);
        }
        // The same arrays each pass: a pass's end forgets its frames, so they are framed anew, and the
        // benchmark allocates nothing of its own per delivery.
        for (int e = 0; e < EVENTS * topics; e++) {
            byte[] payload = new byte[150];
            Arrays.fill(payload, (byte) ('a' + e % 26));
            payloads.add(payload);
        }
        pass = () -> {
            for (int e = 0; e < EVENTS * topics; e++) {
                int topic = e % topics;
                String name = topicLanes ? topicNames.get(topic) : null;
                for (int c = topic; c < CONNECTIONS; c += topics) {
                    switch (kind) {
                        case "lines" -> batchers.get(c).addSharedLine(payloads.get(e), "plain", name);
                        case "copiedLines" -> batchers.get(c).addLine(payloads.get(e));
                        default -> batchers.get(c).addShared(payloads.get(e), false, "plain", name);
                    }
                }
            }
        };
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS * CONNECTIONS)
    public void handOverAndWrite() throws ExecutionException, InterruptedException {
        loop.submit(pass).get();
        // The loop's write pass runs once nothing else is queued.
        while (((SingleThreadEventExecutor) loop).pendingTasks() > 0) {
            Thread.onSpinWait();
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        loop.submit(() -> batchers.forEach(FrameBatcher::discard)).get();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
}
