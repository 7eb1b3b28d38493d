package dev.streams.transport.ws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.channel.local.LocalChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A loop's write passes over many connections that come back to back are spaced by the last one's length (at most the
 * server's longest write hold), and passes that are few or not back to back are not held. On a real event loop, with
 * connections whose writes take a known time, so that a pass's length is known from below.
 */
class LoopFlusherTest {
    /** How long each connection's write takes: a pass over {@link #MANY} of them takes at least 16 times as long. */
    private static final long WRITE_MILLIS = 10;
    private static final int MANY = 16;
    private static final byte[] EVENT = "{\"event\":1}".getBytes(StandardCharsets.UTF_8);

    private EventLoop loop;
    private final List<Slow> conns = new ArrayList<>();
    /** Every write's start and end, as System.nanoTime(), in the order they happened. */
    private final List<long[]> writes = new CopyOnWriteArrayList<>();

    /** One connection whose every flush takes {@link #WRITE_MILLIS}, as a system call into a full socket would. */
    private final class Slow extends ChannelOutboundHandlerAdapter {
        final LocalChannel channel = new LocalChannel();
        final FrameBatcher batcher = new FrameBatcher(channel, new OutboundBudget(1L << 20));

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
        }

        @Override
        public void flush(ChannelHandlerContext ctx) throws InterruptedException {
            long start = System.nanoTime();
            Thread.sleep(WRITE_MILLIS);
            writes.add(new long[] {start, System.nanoTime()});
            if (writes.size() == conns.size()) {
                // The first pass's last write: the next events, queued right behind the pass.
                ctx.executor().execute(() -> conns.forEach(c -> c.batcher.add(EVENT)));
            }
        }
    }

    @BeforeEach
    void start() {
        loop = new DefaultEventLoop();
    }

    @AfterEach
    void stop() throws Exception {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private void connect(int count, long maxHoldNanos) throws Exception {
        loop.submit(() -> LoopFlusher.space(loop, 0, maxHoldNanos)).sync();
        for (int i = 0; i < count; i++) {
            Slow conn = new Slow();
            conn.channel.pipeline().addLast(conn);
            loop.register(conn.channel).sync();
            conns.add(conn);
        }
    }

    /**
     * Two passes, the second asked for by a task queued by the first's last write: every connection has an event in
     * each. Returns the first pass's length and the time from its end to the second's start, in nanoseconds, as the
     * writes saw them.
     */
    private long[] twoPasses() throws Exception {
        loop.submit(() -> conns.forEach(c -> c.batcher.add(EVENT))).sync();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (writes.size() < 2 * conns.size() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(writes).hasSize(2 * conns.size());
        int n = conns.size();
        long firstStart = writes.get(0)[0];
        long firstEnd = writes.get(n - 1)[1];
        long secondStart = writes.get(n)[0];
        return new long[] {firstEnd - firstStart, secondStart - firstEnd};
    }

    @Test
    void aPassRightBehindALongOneWaitsAsLongAsThatOneTook() throws Exception {
        connect(MANY, TimeUnit.SECONDS.toNanos(1));
        long[] passes = twoPasses();
        assertThat(passes[0]).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(MANY * WRITE_MILLIS));
        assertThat(passes[1]).isGreaterThanOrEqualTo(passes[0]);
    }

    @Test
    void theHoldIsBoundedByTheLongestWriteHold() throws Exception {
        long maxHold = TimeUnit.MILLISECONDS.toNanos(20);
        connect(MANY, maxHold);
        long[] passes = twoPasses();
        // Held for the bound, not for the whole 160 ms pass.
        assertThat(passes[1]).isGreaterThanOrEqualTo(maxHold).isLessThan(passes[0]);
    }

    @Test
    void withoutAHoldTheNextPassFollowsAtOnce() throws Exception {
        connect(MANY, 0);
        long[] passes = twoPasses();
        assertThat(passes[1]).isLessThan(passes[0]);
    }

    @Test
    void passesOverFewConnectionsAreNeverHeld() throws Exception {
        connect(MANY - 1, TimeUnit.SECONDS.toNanos(1));
        long[] passes = twoPasses();
        assertThat(passes[1]).isLessThan(passes[0]);
    }
}
