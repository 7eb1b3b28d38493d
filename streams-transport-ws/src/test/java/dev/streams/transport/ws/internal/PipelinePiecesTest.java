package dev.streams.transport.ws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.auth.StreamsAuth;
import dev.streams.core.Broker;
import dev.streams.transport.ws.internal.golioth.GoliothApi;
import dev.streams.transport.ws.internal.m3o.M3oApi;
import dev.streams.transport.ws.internal.nativeproto.NativeApi;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pipeline's own handlers on Netty's EmbeddedChannel: exact bytes and timers, no sockets. */
class PipelinePiecesTest {

    /** Decodes what the server wrote the way a client would (unmasked server frames). */
    private static List<String> clientReads(ByteBuf written) {
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(false).maxFramePayloadLength(1 << 20).build()));
        client.writeInbound(written);
        List<String> texts = new ArrayList<>();
        for (Object frame; (frame = client.readInbound()) != null; ) {
            assertThat(frame).isInstanceOf(TextWebSocketFrame.class);
            texts.add(((TextWebSocketFrame) frame).text());
            ReferenceCountUtil.release(frame);
        }
        client.finishAndReleaseAll();
        return texts;
    }

    @Test
    void framesOfOneTurnAreEncodedExactlyAndBatchedIntoOneWrite() {
        EmbeddedChannel channel = new EmbeddedChannel();
        FrameBatcher batcher = new FrameBatcher(channel, new OutboundBudget(1L << 20));
        List<String> sent = addFrames(batcher, 0, 125, 126, 1000, 30000);
        assertThat((Object) channel.readOutbound()).as("nothing leaves before the turn ends").isNull();
        channel.runPendingTasks();
        ByteBuf written = channel.readOutbound();
        assertThat((Object) channel.readOutbound()).as("one write for the whole turn").isNull();
        assertThat((int) written.getUnsignedByte(0)).isEqualTo(0x81);
        assertThat(clientReads(written)).isEqualTo(sent);
        channel.finishAndReleaseAll();
    }

    @Test
    void longFramesAreEncodedExactlyAndATurnPastTheEarlyFlushSizeIsWrittenBeforeItEnds() {
        EmbeddedChannel channel = new EmbeddedChannel();
        FrameBatcher batcher = new FrameBatcher(channel, new OutboundBudget(1L << 20));
        List<String> sent = addFrames(batcher, 65535, 65536, 70000);
        ByteBuf early = writtenSoFar(channel);
        assertThat(early.readableBytes()).as("written once past %d bytes", FrameBatcher.EARLY_FLUSH_BYTES).isPositive();
        channel.runPendingTasks();
        ByteBuf all = early.writeBytes(writtenSoFar(channel));
        assertThat(clientReads(all)).isEqualTo(sent);
        channel.finishAndReleaseAll();
    }

    @Test
    void linesShareOneFrameWithItsHeaderInFrontAndKeepTheirOrderWithOtherFrames() {
        EmbeddedChannel channel = new EmbeddedChannel();
        FrameBatcher batcher = new FrameBatcher(channel, new OutboundBudget(1L << 20));
        String medium = "m".repeat(300);
        batcher.add("first".getBytes(StandardCharsets.UTF_8));
        batcher.addLine("a".getBytes(StandardCharsets.UTF_8));
        batcher.addLine(medium.getBytes(StandardCharsets.UTF_8));
        batcher.add("between".getBytes(StandardCharsets.UTF_8));
        batcher.addLine("b".getBytes(StandardCharsets.UTF_8));
        channel.runPendingTasks();
        assertThat(clientReads(writtenSoFar(channel))).containsExactly("first", "a\n" + medium, "between", "b");
        channel.finishAndReleaseAll();
    }

    @Test
    void aTurnStartsWithRoomForWhatTheConnectionsLastWriteHeldWithinTheEarlyFlushSize() {
        EmbeddedChannel channel = new EmbeddedChannel();
        FrameBatcher batcher = new FrameBatcher(channel, new OutboundBudget(1L << 20));
        assertThat(startCapacityOfNextTurn(batcher, channel)).as("a connection's first turn").isEqualTo(1024);

        int[] tenEvents = new int[10];
        Arrays.fill(tenEvents, 400);
        List<String> sent = addFrames(batcher, tenEvents);
        channel.runPendingTasks();
        ByteBuf loaded = writtenSoFar(channel);
        assertThat(clientReads(loaded.copy())).isEqualTo(sent);
        assertThat(startCapacityOfNextTurn(batcher, channel)).as("after a write of %d bytes", loaded.readableBytes())
                .isGreaterThanOrEqualTo(loaded.readableBytes() * 5 / 4);

        addFrames(batcher, 10);
        channel.runPendingTasks();
        writtenSoFar(channel);
        assertThat(startCapacityOfNextTurn(batcher, channel)).as("after a small write").isEqualTo(1024);

        addFrames(batcher, 65535, 65535);
        channel.runPendingTasks();
        writtenSoFar(channel);
        assertThat(startCapacityOfNextTurn(batcher, channel)).as("after a write past the early flush size")
                .isEqualTo(FrameBatcher.EARLY_FLUSH_BYTES);
        channel.finishAndReleaseAll();
    }

    @Test
    void aLoadedTurnIsWrittenBeforeItWouldPassTheEarlyFlushSizeSoItsBufferNeverGrows() {
        EmbeddedChannel channel = new EmbeddedChannel();
        FrameBatcher batcher = new FrameBatcher(channel, new OutboundBudget(1L << 30));
        byte[] line = "l".repeat(199).getBytes(StandardCharsets.UTF_8);
        int[] frames = new int[1000];
        Arrays.fill(frames, 195);
        for (int turn = 0; turn < 3; turn++) {
            // A flat-out turn: 1,000 events of about 200 bytes, as lines of one frame and then as frames.
            for (int i = 0; i < 1000; i++) {
                batcher.addLine(line);
            }
            addFrames(batcher, frames);
            channel.runPendingTasks();
            int writes = 0;
            for (ByteBuf written = channel.readOutbound(); written != null; written = channel.readOutbound()) {
                writes++;
                assertThat(written.readableBytes()).isLessThanOrEqualTo(FrameBatcher.EARLY_FLUSH_BYTES);
                assertThat(written.capacity()).as("turn %d, write %d: a buffer that grew copied what it held", turn,
                        writes).isLessThanOrEqualTo(FrameBatcher.EARLY_FLUSH_BYTES);
                written.release();
            }
            assertThat(writes).as("about 400 KB in writes of at most 64 KiB").isBetween(7, 9);
        }
        channel.finishAndReleaseAll();
    }

    /** The capacity a new turn's buffer starts with; the turn is written empty and the write dropped. */
    private static int startCapacityOfNextTurn(FrameBatcher batcher, EmbeddedChannel channel) {
        int capacity = batcher.buffer(1).capacity();
        channel.runPendingTasks();
        writtenSoFar(channel).release();
        return capacity;
    }

    /** Everything the channel has written so far, in one buffer (the writes released). */
    private static ByteBuf writtenSoFar(EmbeddedChannel channel) {
        ByteBuf all = io.netty.buffer.Unpooled.buffer();
        for (ByteBuf next = channel.readOutbound(); next != null; next = channel.readOutbound()) {
            all.writeBytes(next);
            next.release();
        }
        return all;
    }

    private static List<String> addFrames(FrameBatcher batcher, int... lengths) {
        List<String> sent = new ArrayList<>();
        for (int length : lengths) {
            char[] text = new char[length];
            Arrays.fill(text, (char) ('a' + length % 26));
            sent.add(new String(text));
            batcher.add(new String(text).getBytes(StandardCharsets.UTF_8));
        }
        return sent;
    }

    @Test
    void discardReleasesWhatWasCollected() {
        EmbeddedChannel channel = new EmbeddedChannel();
        FrameBatcher batcher = new FrameBatcher(channel, new OutboundBudget(1L << 20));
        batcher.add(new byte[100]);
        batcher.discard();
        channel.runPendingTasks();
        assertThat((Object) channel.readOutbound()).isNull();
        channel.finishAndReleaseAll();
    }

    private static ServerLimits limits(Duration requestTimeout) {
        return new ServerLimits(1024, 1024, 1024, 10, 10, Duration.ofSeconds(60), requestTimeout, 1024, 10, 1L << 20,
                Duration.ofMillis(50));
    }

    /** The APIs a server speaks, as StreamsServer assembles them. */
    private static Apis apis(ServerContext server) {
        return new Apis(java.util.List.of(new NativeApi(server), new M3oApi(server), new GoliothApi(server)));
    }

    private static final ReplayQueue REPLAYS = new ReplayQueue(1, 10, r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
    });

    private static ConnectionAdmission admission() {
        return new ConnectionAdmission(dev.streams.transport.ws.ConnectionLimits.defaults(), 10_000);
    }

    private static ServerContext context(Duration requestTimeout) {
        OutboundBudget budget = new OutboundBudget(1L << 20);
        ConnectionAdmission admission = admission();
        return new ServerContext(Broker.create(), StreamsAuth.builder().masterKey(new byte[32]).build(),
                new ServerMetrics(budget, REPLAYS, admission, java.util.List.of()), new DefaultChannelGroup(GlobalEventExecutor.INSTANCE),
                new ProjectConnections(10), Set.of(), limits(requestTimeout),
                dev.streams.core.SubscribeOptions.defaults(), Duration.ofMinutes(1), new HostRoutes(Map.of(), null),
                new ServerContext.Compression(false, 0), new SseResumes(10, Duration.ofMinutes(1)),
                new QueryGate(java.util.concurrent.Executors.newSingleThreadExecutor(), GlobalEventExecutor.INSTANCE, 1, 1,
                        Duration.ofSeconds(1)), REPLAYS,
                ServerContext.webSocketConfig(limits(requestTimeout), new ServerContext.Compression(false, 0)), budget,
                admission);
    }

    @Test
    void theRequestDeadlineRunsFromOpeningAndFromEachResponse() {
        ServerContext server = context(Duration.ofSeconds(30));
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(new HttpDeadline(server, apis(server)));
        channel.advanceTimeBy(29, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        // A request that completes in time stops the clock until its response is written.
        channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
        channel.writeInbound(LastHttpContent.EMPTY_LAST_CONTENT);
        channel.advanceTimeBy(60, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        channel.advanceTimeBy(31, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).as("idle keep-alive connection").isFalse();
        assertThat(server.metrics().requestTimeouts.sum()).isEqualTo(1);
        channel.finishAndReleaseAll();
    }

    @Test
    void aRequestCutOffMidwayGets408() {
        ServerContext server = context(Duration.ofSeconds(1));
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(new HttpDeadline(server, apis(server)));
        channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/streams/Publish"));
        channel.writeInbound(new DefaultHttpContent(Unpooled.copiedBuffer("{\"to", StandardCharsets.UTF_8)));
        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        FullHttpResponse response = null;
        channel.runPendingTasks();
        for (Object out; (out = channel.readOutbound()) != null; ) {
            if (out instanceof FullHttpResponse r) {
                response = r;
            }
        }
        assertThat(response).isNotNull();
        assertThat(response.status().code()).isEqualTo(408);
        assertThat(response.content().toString(StandardCharsets.UTF_8)).contains("\"id\":\"REQUEST_TIMEOUT\"");
        response.release();
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        channel.finishAndReleaseAll();
    }

    @Test
    void theCloseHandshakeIsAnsweredThroughTheServersOwnPipeline() {
        ServerContext server = context(Duration.ofSeconds(30));
        dev.streams.auth.NewApiKey key = server.auth().createKey("p", "k", java.util.EnumSet.allOf(dev.streams.auth.Scope.class));
        EmbeddedChannel channel = new EmbeddedChannel();
        new PipelineInitializer(server, apis(server), null).configure(channel);
        channel.writeInbound(Unpooled.copiedBuffer("GET /v1/ws/native?x-api-key=" + key.key() + " HTTP/1.1\r\n"
                + "Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: MDEyMzQ1Njc4OWFiY2RlZg==\r\nSec-WebSocket-Version: 13\r\n\r\n", StandardCharsets.US_ASCII));
        channel.runPendingTasks();
        ByteBuf response = Unpooled.buffer();
        for (Object out; (out = channel.readOutbound()) != null; ) {
            response.writeBytes((ByteBuf) out);
            ReferenceCountUtil.release(out);
        }
        assertThat(response.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 101").contains("welcome");
        response.release();
        // A masked close frame with code 1000 and no reason.
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x88, (byte) 0x82, 1, 2, 3, 4, 0x03 ^ 1, (byte) (0xE8 ^ 2)}));
        channel.runPendingTasks();
        ByteBuf echoed = channel.readOutbound();
        assertThat(echoed.getUnsignedByte(0) & 0x0F).as("a close frame").isEqualTo(8);
        assertThat(echoed.getUnsignedShort(2)).isEqualTo(1000);
        echoed.release();
        assertThat(channel.isOpen()).isFalse();
        channel.finishAndReleaseAll();
    }

    @Test
    void readsAreHeldWhileThePeerIsNotReading() {
        List<String> reads = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(new ChannelOutboundHandlerAdapter() {
            @Override
            public void read(ChannelHandlerContext ctx) {
                reads.add("read");
                ctx.read();
            }

            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                // keep it unflushed: the outbound buffer fills like a peer that does not read
                ctx.write(msg, promise);
            }
        });
        channel.pipeline().addFirst(new ConnectionHead(new ServerMetrics(new OutboundBudget(1L << 20), REPLAYS, admission(), java.util.List.of()), admission(), null, false));
        channel.config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(32, 64));
        channel.write(Unpooled.wrappedBuffer(new byte[128]));
        assertThat(channel.isWritable()).isFalse();
        assertThat(channel.config().isAutoRead()).isFalse();
        reads.clear();
        channel.pipeline().lastContext().read();
        assertThat(reads).as("a read asked for by a handler behind it is held").isEmpty();
        channel.flush();
        channel.runPendingTasks();
        assertThat(channel.isWritable()).isTrue();
        assertThat(channel.config().isAutoRead()).isTrue();
        channel.finishAndReleaseAll();
    }

}
