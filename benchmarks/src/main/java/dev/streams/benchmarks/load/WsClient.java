package dev.streams.benchmarks.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker13;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A lean Netty WebSocket client: each message arrives to a callback as a view of the bytes it was read into,
 * nothing built or copied per message ({@link LeanFrameReader}). On two cores the tool's reading competes with the
 * server it measures, so its cost per message is kept to finding the frame and the caller's scan: no UTF-8
 * validation pass (the tool only searches ASCII markers), no copy into an array.
 */
final class WsClient implements AutoCloseable {
    private static final int MAX_PAYLOAD = 1 << 22;
    private final EventLoopGroup group;
    private final Frames frames;

    /** How a client reads the frames it receives. */
    enum Frames {
        /** Where they were read ({@link LeanFrameReader}): the default. */
        LEAN,
        /**
         * With Netty's frame decoder and aggregator, each payload copied into a frame of its own: how every row
         * before the README's section "The load client reads frames where they lie" was measured; kept to compare.
         */
        NETTY,
        /** As {@link #NETTY}, offering permessage-deflate (as browsers do) and inflating what the server compressed. */
        DEFLATE;

        /** {@code lean}, {@code netty}, or with {@code deflate} always {@link #DEFLATE}. */
        static Frames of(String name, boolean deflate) {
            return deflate ? DEFLATE : valueOf(name.toUpperCase(java.util.Locale.ROOT));
        }
    }

    WsClient(int threads) {
        this(threads, Frames.LEAN);
    }

    WsClient(int threads, Frames frames) {
        this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        this.frames = frames;
    }

    /** Connects and completes once the WebSocket handshake is done. */
    CompletableFuture<Channel> connect(URI uri, String localAddress, Consumer<Channel> onOpen,
                                       FrameHandler onFrame) {
        CompletableFuture<Channel> opened = new CompletableFuture<>();
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536));
                        boolean deflate = frames == Frames.DEFLATE;
                        if (deflate) {
                            ch.pipeline().addLast(new WebSocketClientCompressionHandler(MAX_PAYLOAD));
                        }
                        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                                .webSocketUri(uri).version(WebSocketVersion.V13).allowExtensions(deflate)
                                .customHeaders(new DefaultHttpHeaders()).maxFramePayloadLength(1 << 20)
                                .withUTF8Validator(false).build();
                        if (frames == Frames.LEAN) {
                            ch.pipeline().addLast(new WebSocketClientProtocolHandler(
                                    new LeanHandshaker(uri, config, onFrame), config));
                        } else {
                            ch.pipeline().addLast(new WebSocketClientProtocolHandler(config),
                                    new WebSocketFrameAggregator(MAX_PAYLOAD));
                        }
                        ch.pipeline().addLast(
                                new SimpleChannelInboundHandler<WebSocketFrame>() {
                                    @Override
                                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
                                        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                                            onOpen.accept(ctx.channel());
                                            opened.complete(ctx.channel());
                                        }
                                        super.userEventTriggered(ctx, evt);
                                    }

                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
                                        if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame
                                                || frame instanceof ContinuationWebSocketFrame) {
                                            onFrame.onFrame(ctx.channel(), frame.content());
                                        }
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        opened.completeExceptionally(cause);
                                        ctx.close();
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) {
                                        opened.completeExceptionally(new IllegalStateException("closed before open"));
                                    }
                                });
                    }
                });
        int port = uri.getPort();
        ChannelFuture future = localAddress == null
                ? bootstrap.connect(uri.getHost(), port)
                : bootstrap.connect(new InetSocketAddress(uri.getHost(), port), new InetSocketAddress(localAddress, 0));
        future.addListener(f -> {
            if (!f.isSuccess()) {
                opened.completeExceptionally(f.cause());
            }
        });
        return opened;
    }

    static void sendText(Channel channel, byte[] frame) {
        channel.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(frame)), channel.voidPromise());
    }

    @Override
    public void close() {
        group.shutdownGracefully();
    }

    /** The standard handshake, after which the connection's frames are read by a {@link LeanFrameReader}. */
    private static final class LeanHandshaker extends WebSocketClientHandshaker13 {
        private final FrameHandler onFrame;

        LeanHandshaker(URI uri, WebSocketClientProtocolConfig config, FrameHandler onFrame) {
            super(uri, config.version(), config.subprotocol(), config.allowExtensions(), config.customHeaders(),
                    config.maxFramePayloadLength(), config.performMasking(), config.allowMaskMismatch(),
                    config.forceCloseTimeoutMillis());
            this.onFrame = onFrame;
        }

        @Override
        protected WebSocketFrameDecoder newWebsocketDecoder() {
            return new LeanFrameReader(onFrame, MAX_PAYLOAD);
        }
    }

    /** Receives each complete message; {@code frame} is valid during the call only (copy what you keep). */
    interface FrameHandler {
        void onFrame(Channel channel, ByteBuf frame);
    }
}
