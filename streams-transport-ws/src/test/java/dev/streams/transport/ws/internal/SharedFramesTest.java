package dev.streams.transport.ws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A loop's connections that take the same run of events write slices of one buffer framed once ({@link SharedFrames}),
 * and a connection whose turn is anything else writes exactly its own bytes. On a real event loop (the loop's write
 * pass is what shares), with a handler in each channel that takes the writes as a socket would.
 */
class SharedFramesTest extends LoopConnections {
    /** Two topics' events, as their encodings: the same arrays for every connection. */
    private static final List<byte[]> NEWS = List.of(payload('n', 150), payload('o', 160), payload('p', 170));
    private static final List<byte[]> SPORT = List.of(payload('s', 110), payload('t', 120), payload('u', 130));
    @Test
    void connectionsTakingTheSameEventsWriteOneBufferFramedOnce() throws Exception {
        Conn a = connect();
        Conn b = connect();
        Conn c = connect();
        byte[] e1 = payload('x', 150);
        byte[] e2 = payload('y', 300);
        turn(() -> {
            for (byte[] event : List.of(e1, e2)) {
                for (Conn conn : List.of(a, b, c)) {
                    conn.batcher.addShared(event, false, "plain");
                }
            }
        });
        for (Conn conn : List.of(a, b, c)) {
            assertThat(conn.writes).hasSize(1);
            assertThat(conn.writes.get(0)).isEqualTo(frames(e1, e2));
        }
        assertThat(List.of(b.buffers, c.buffers)).as("parts of the same buffers for every connection")
                .containsOnly(a.buffers);

        // The next pass frames its events anew, in a buffer of its own.
        int before = a.buffers.size();
        turn(() -> List.of(a, b).forEach(conn -> conn.batcher.addShared(e1, false, "plain")));
        assertThat(a.writes.get(1)).isEqualTo(frames(e1));
        assertThat(b.buffers.subList(before, b.buffers.size())).hasSize(1)
                .isEqualTo(a.buffers.subList(before, a.buffers.size()));
    }

    @Test
    void eachEncodingHasALaneWhereAStreamOfEveryTopicIsOneRun() throws Exception {
        Conn everyA = connect();
        Conn everyB = connect();
        Conn compressedA = connect();
        Conn compressedB = connect();
        Conn newsOnly = connect();
        List<byte[]> newsDeflated = List.of(payload('N', 50), payload('O', 60), payload('P', 70));
        List<byte[]> sportDeflated = List.of(payload('S', 40), payload('T', 45), payload('U', 55));
        Runnable pass = () -> {
            // As a loop hands them: each event to all its subscribers, the two topics' events in turn.
            for (int i = 0; i < 3; i++) {
                for (Conn conn : List.of(everyA, everyB, newsOnly)) {
                    conn.batcher.addShared(NEWS.get(i), false, "plain");
                }
                for (Conn conn : List.of(compressedA, compressedB)) {
                    conn.batcher.addShared(newsDeflated.get(i), true, "deflated");
                }
                for (Conn conn : List.of(everyA, everyB)) {
                    conn.batcher.addShared(SPORT.get(i), false, "plain");
                }
                for (Conn conn : List.of(compressedA, compressedB)) {
                    conn.batcher.addShared(sportDeflated.get(i), true, "deflated");
                }
            }
        };
        secondPass(pass);
        List<byte[]> plainOrder = new ArrayList<>();
        List<byte[]> deflatedOrder = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            plainOrder.addAll(List.of(NEWS.get(i), SPORT.get(i)));
            deflatedOrder.addAll(List.of(newsDeflated.get(i), sportDeflated.get(i)));
        }
        assertThat(everyA.writes).containsExactly(frames(plainOrder.toArray(byte[][]::new)));
        byte[] deflatedFrames = frames(deflatedOrder.toArray(byte[][]::new));
        for (int at = 0; at < deflatedFrames.length; at += 2 + deflatedFrames[at + 1]) {
            deflatedFrames[at] = (byte) 0xC1; // FIN, RSV1 (compressed), text
        }
        assertThat(compressedA.writes).containsExactly(deflatedFrames);
        assertThat(newsOnly.writes).as("one topic of two: its own copy, exactly")
                .containsExactly(frames(NEWS.toArray(byte[][]::new)));
        assertThat(List.of(everyB.buffers, compressedB.buffers)).as("each lane shared")
                .containsExactly(everyA.buffers, compressedA.buffers);
        assertThat(everyA.buffers).as("one buffer a lane").hasSize(1).doesNotContainAnyElementsOf(compressedA.buffers);
    }

    @Test
    void connectionsOfOneTopicAmongInterleavedTopicsShareTheirTopicsLane() throws Exception {
        Conn newsA = connect();
        Conn newsB = connect();
        Conn sportOnly = connect();
        Conn every = connect();
        Runnable pass = () -> {
            // As a loop hands them: each event to all its subscribers, the two topics' events in turn.
            for (int i = 0; i < 3; i++) {
                newsA.batcher.addShared(NEWS.get(i), false, "plain", "news");
                newsB.batcher.addShared(NEWS.get(i), false, "plain", "news");
                every.batcher.addShared(NEWS.get(i), false, "plain", null);
                sportOnly.batcher.addShared(SPORT.get(i), false, "plain", "sport");
                every.batcher.addShared(SPORT.get(i), false, "plain", null);
            }
        };
        secondPass(pass);
        assertThat(newsA.writes).containsExactly(frames(NEWS.toArray(byte[][]::new)));
        assertThat(newsB.writes).containsExactly(frames(NEWS.toArray(byte[][]::new)));
        assertThat(sportOnly.writes).containsExactly(frames(SPORT.toArray(byte[][]::new)));
        assertThat(every.writes).containsExactly(frames(NEWS.get(0), SPORT.get(0), NEWS.get(1), SPORT.get(1),
                NEWS.get(2), SPORT.get(2)));
        assertThat(newsA.buffers).as("one run of the topic's lane, no copy").hasSize(1).isEqualTo(newsB.buffers);
        assertThat(List.of(newsA.buffers, sportOnly.buffers, every.buffers)).as("a lane each, one piece each")
                .allSatisfy(pieces -> assertThat(pieces).hasSize(1))
                .doesNotHaveDuplicates();
    }

    @Test
    void lanesOfTopicsNoLongerServedAreDropped() throws Exception {
        Conn conn = connect();
        SharedFrames frames = onLoop(() -> LoopFlusher.of(loop).frames());
        // A thousand topics, one event each, as connections of one topic each would ask.
        turn(() -> {
            for (int t = 0; t < 1000; t++) {
                conn.batcher.addShared(payload('a', 100), false, "plain", "topic-" + t);
            }
        });
        assertThat(onLoop(frames::lanesKept)).as("the lane of every topic, and one per topic").isEqualTo(1001);
        // Passes go on with one topic only: the others' lanes go once they have been idle long enough.
        for (int pass = 0; pass < 40; pass++) {
            turn(() -> conn.batcher.addShared(payload('b', 100), false, "plain", "busy"));
        }
        assertThat(onLoop(frames::lanesKept)).as("the lane of every topic, and the busy topic's").isEqualTo(2);
        assertThat(conn.writes).hasSize(41);
    }

    @Test
    void aTurnThatIsNotTheSharedRunWritesExactlyItsOwnBytesInOrder() throws Exception {
        Conn shared = connect();
        Conn interleaved = connect();
        Conn replying = connect();
        byte[] t1 = payload('a', 120);
        byte[] t2 = payload('b', 130);
        byte[] t3 = payload('c', 140);
        byte[] reply = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
        turn(() -> {
            shared.batcher.addShared(t1, false, "plain");
            interleaved.batcher.addShared(t1, false, "plain");
            replying.batcher.addShared(t1, false, "plain");
            replying.batcher.add(reply);
            // t2 goes to one connection only, so the others' next frame is not next to their t1 in the loop's buffer.
            shared.batcher.addShared(t2, false, "plain");
            interleaved.batcher.addShared(t3, false, "plain");
            replying.batcher.addShared(t3, false, "plain");
        });
        assertThat(shared.writes).containsExactly(frames(t1, t2));
        assertThat(interleaved.writes).containsExactly(frames(t1, t3));
        assertThat(replying.writes).containsExactly(frames(t1, reply, t3));
    }

    @Test
    void aSliceLeftWaitingCountsTheWholeSharedBufferUntilTheClientReads() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            BlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.SO_SNDBUF, 4096)
                    .childOption(ChannelOption.MESSAGE_SIZE_ESTIMATOR, BufferCapacityEstimator.INSTANCE)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            accepted.add(ch);
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
            ByteBuf received = io.netty.buffer.Unpooled.buffer();
            Channel stalling = client(group, server, received);
            Channel stalled = accepted.poll(10, TimeUnit.SECONDS);
            Channel reading = client(group, server, io.netty.buffer.Unpooled.buffer());
            Channel read = accepted.poll(10, TimeUnit.SECONDS);
            OutboundBudget budget = new OutboundBudget(1L << 30);
            FrameBatcher slow = stalled.eventLoop().submit(() -> new FrameBatcher(stalled, budget)).get();
            FrameBatcher fast = read.eventLoop().submit(() -> new FrameBatcher(read, budget)).get();
            ByteBuf sent = io.netty.buffer.Unpooled.buffer();
            // Each pass frames 30 KB that only the reading client takes, then 20 KB that both take; the first pass,
            // read by both, teaches the loop to frame a pass in one buffer.
            Runnable pass = () -> {
                byte[] big = payload('B', 30_000);
                fast.addShared(big, false, "plain");
                for (int i = 0; i < 20; i++) {
                    byte[] event = payload((char) ('a' + i), 1000);
                    fast.addShared(event, false, "plain");
                    slow.addShared(event, false, "plain");
                    sent.writeBytes(frames(event));
                }
            };
            stalled.eventLoop().submit(pass).get();
            awaitTrue(() -> received.readableBytes() == sent.readableBytes() && budget.pendingBytes() == 0);

            stalling.config().setAutoRead(false);
            long[] heldAndWaiting = {0, 0};
            for (int turn = 0; turn < 200 && heldAndWaiting[1] == 0; turn++) {
                stalled.eventLoop().submit(pass).get();
                heldAndWaiting = stalled.eventLoop().submit(() -> {
                    // The loop has run the pass's writes once nothing else is queued.
                    long[] waiting = {0};
                    stalled.unsafe().outboundBuffer().forEachFlushedMessage(msg -> {
                        waiting[0] += ((ByteBuf) msg).readableBytes();
                        return true;
                    });
                    return new long[] {slow.heldBytes(), waiting[0]};
                }).get();
            }
            assertThat(heldAndWaiting[1]).as("the client stopped reading: bytes wait to be sent").isPositive();
            assertThat(heldAndWaiting[0] - heldAndWaiting[1])
                    .as("counted beyond them: the shared buffer they keep, with the frame only the other client took")
                    .isGreaterThanOrEqualTo(30_000);

            stalling.config().setAutoRead(true);
            awaitTrue(() -> received.readableBytes() == sent.readableBytes() && budget.pendingBytes() == 0);
            assertThat(ByteBufUtil.getBytes(received)).as("exactly what was sent, in order")
                    .isEqualTo(ByteBufUtil.getBytes(sent));
            stalling.close().sync();
            reading.close().sync();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** A client with a small receive buffer that collects what it reads into {@code received}. */
    private static Channel client(EventLoopGroup group, Channel server, ByteBuf received) throws InterruptedException {
        return new Bootstrap().group(group).channel(NioSocketChannel.class).option(ChannelOption.SO_RCVBUF, 4096)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        received.writeBytes((ByteBuf) msg);
                        ReferenceCountUtil.release(msg);
                    }
                }).connect(server.localAddress()).sync().channel();
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met within 10 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void aDiscardedConnectionLetsItsShareGoAndTheOthersStillWrite() throws Exception {
        Conn gone = connect();
        Conn stays = connect();
        byte[] event = payload('z', 500);
        turn(() -> {
            gone.batcher.addShared(event, false, "plain");
            stays.batcher.addShared(event, false, "plain");
            gone.batcher.discard();
        });
        assertThat(gone.writes).isEmpty();
        assertThat(stays.writes).containsExactly(frames(event));
    }
}
