package dev.streams.transport.ws.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

/**
 * The one handler of a WebSocket session after Netty's frame decoder and encoder (and its permessage-deflate
 * handlers, when negotiated): it runs the opening handshake with Netty's handshaker (and then takes Netty's frame
 * encoder out: {@link WebSocketOutbound} frames everything it sends), then answers pings, runs
 * the close handshake, assembles fragmented messages up to the message limit, checks that text is UTF-8 and
 * hands the session whole text messages; it pings an idle client once and drops it when it stays silent.
 *
 * <p>Why one handler and not Netty's protocol handler, frame aggregator and ours: every connection keeps its
 * pipeline for its whole life, and a subscriber's writes pass each outbound stage; the three held about 250 bytes
 * per idle connection (two handler contexts, the handlers, the handshaker kept in a channel attribute), and the
 * protocol handler saw every write only to refuse those after a close frame, which {@link WebSocketOutbound}
 * now refuses itself. Frames are read by Netty's {@code WebSocket13FrameDecoder}.
 */
public final class WebSocketFrames extends SessionChannelHandler {
    private static final System.Logger LOG = System.getLogger(WebSocketFrames.class.getName());
    /** Components a fragmented message may have before they are merged (Netty's aggregator's default). */
    private static final int MAX_COMPONENTS = 1024;

    private final ServerContext server;
    /**
     * The connection's head, taken out of the pipeline after the handshake, whose jobs this handler then does
     * (see {@link ConnectionHead}); null before. Volatile: the idle sweep reads it from its own thread.
     */
    private volatile ConnectionHead head;
    private boolean pinged;
    /** The upgrade request came: anything more before the 101 (a pipelined request, early frames) is not allowed. */
    private boolean upgrading;
    /** The fragments of a text message so far; null between messages. */
    private CompositeByteBuf fragments;

    public WebSocketFrames(Session session, ServerContext server) {
        super(session);
        this.server = server;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest request) {
            try {
                if (upgrading) {
                    // RFC 6455, 4.1: a client sends nothing more until it has the server's answer.
                    ctx.close();
                    return;
                }
                upgrading = true;
                handshake(ctx, request);
            } finally {
                request.release();
            }
            return;
        }
        try {
            pinged = false;
            if (msg instanceof WebSocketFrame frame) {
                frame(ctx, frame);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** The upgrade request: answered by Netty's handshaker once the session's stream is live (see Session). */
    private void handshake(ChannelHandlerContext ctx, FullHttpRequest request) {
        String location = "ws://" + request.headers().get(HttpHeaderNames.HOST) + "/";
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(location, null,
                server.webSocketConfig()).newHandshaker(request);
        if (handshaker == null || handshaker.version() == WebSocketVersion.V00) {
            // Frames here are RFC 6455's (versions 7, 8 and 13 share them); a hixie-76 client (a request with no
            // version) would read them as garbage, so it is told which version to speak instead.
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        // An answer that may wait for the stream's subscription outlives this request's release: it keeps a copy
        // of the head. The others answer before this returns.
        FullHttpRequest requestHead = session.mayHoldAnswer() ? request.replace(Unpooled.EMPTY_BUFFER) : request;
        session.answerWhenLive(() -> answer(ctx, handshaker, requestHead));
    }

    /** Answers 101 (Netty's handshaker swaps the HTTP codec for its frame codec) and opens the session. */
    private void answer(ChannelHandlerContext ctx, WebSocketServerHandshaker handshaker, FullHttpRequest request) {
        try {
            handshaker.handshake(ctx.channel(), request).addListener(done -> {
                if (done.isSuccess()) {
                    try {
                        // Every frame is framed by the session's outbound: Netty's encoder would only be one more
                        // stage for each write to pass, and one more handler for each connection to keep.
                        ctx.pipeline().remove(WebSocketFrameEncoder.class);
                        session.opened();
                        takeOverHead(ctx);
                    } catch (RuntimeException failed) {
                        // A listener's exception is only logged by Netty: without this the client would wait on
                        // an open connection that no session serves.
                        LOG.log(Level.WARNING, "WebSocket session could not open; closing the connection", failed);
                        ctx.close();
                    }
                } else {
                    LOG.log(Level.DEBUG, "WebSocket handshake failed", done.cause());
                    ctx.close();
                }
            });
        } catch (WebSocketHandshakeException refused) {
            // Checked before the pipeline changes: the HTTP codec is still there to answer (and, without the
            // request, the connection closes after it).
            HttpReplies.send(ctx, null, HttpResponseStatus.BAD_REQUEST, "text/plain",
                    String.valueOf(refused.getMessage()));
        }
    }

    /** One handler context less on every connection: the head's jobs are this handler's from now on. */
    private void takeOverHead(ChannelHandlerContext ctx) {
        ConnectionHead found = ctx.pipeline().get(ConnectionHead.class);
        if (found != null) {
            head = found;
            ctx.pipeline().remove(found);
        }
    }

    /** The connection head this handler took over, or null before the handshake. Any thread. */
    ConnectionHead head() {
        return head;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ConnectionHead head = this.head;
        if (head != null) {
            head.readSome();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        ConnectionHead head = this.head;
        if (head != null) {
            head.writabilityChanged(ctx);
        }
        super.channelWritabilityChanged(ctx);
    }

    private void frame(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame.rsv() != 0) {
            // The extension decoders (permessage-deflate, when negotiated) have cleared the bits they own.
            session.end(null, WebSocketCloseStatus.PROTOCOL_ERROR.code(), "reserved bits set without an extension");
        } else if (frame instanceof PingWebSocketFrame) {
            // A client that sends pings but does not read gets no pongs piling up: RFC 6455 (5.5.3) lets a
            // server answer only the latest ping. (After a close frame the outbound sends nothing.)
            if (ctx.channel().isWritable()) {
                outbound().pong(frame.content().retain());
            }
        } else if (frame instanceof CloseWebSocketFrame close) {
            session.peerClosed();
            outbound().answerClose(close.content().retain());
        } else if (session.isClosing() || frame instanceof PongWebSocketFrame) {
            // After our close frame the session takes nothing more; a pong only counts as a sign of life.
        } else if (frame instanceof BinaryWebSocketFrame) {
            session.end(null, WebSocketCloseStatus.INVALID_MESSAGE_TYPE.code(), "text frames only");
        } else if (frame instanceof TextWebSocketFrame) {
            if (frame.isFinalFragment()) {
                text(frame.content());
            } else {
                fragments = ctx.alloc().compositeBuffer(MAX_COMPONENTS);
                append(frame);
            }
        } else if (frame instanceof ContinuationWebSocketFrame && fragments != null) {
            // Netty's decoder refuses a continuation outside a fragmented message (1002) before it gets here.
            if (append(frame) && frame.isFinalFragment()) {
                CompositeByteBuf whole = fragments;
                fragments = null;
                try {
                    text(whole);
                } finally {
                    whole.release();
                }
            }
        }
    }

    /** Adds a fragment; false (and the session ended with 1009) when the message grows past its limit. */
    private boolean append(WebSocketFrame frame) {
        if (fragments.readableBytes() + (long) frame.content().readableBytes() > server.limits().maxMessageBytes()) {
            discardFragments();
            session.end(null, WebSocketCloseStatus.MESSAGE_TOO_BIG.code(), "message too big");
            return false;
        }
        fragments.addComponent(true, frame.content().retain());
        return true;
    }

    private void text(ByteBuf content) {
        if (!ByteBufUtil.isText(content, StandardCharsets.UTF_8)) {
            session.end(null, WebSocketCloseStatus.INVALID_PAYLOAD_DATA.code(), "text is not UTF-8");
            return;
        }
        session.received(content.toString(StandardCharsets.UTF_8));
    }

    private WebSocketOutbound outbound() {
        return (WebSocketOutbound) session.outbound();
    }

    private void discardFragments() {
        if (fragments != null) {
            fragments.release();
            fragments = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        discardFragments();
        ConnectionHead head = this.head;
        if (head != null) {
            head.closed();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        discardFragments();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (!session.isOpen()) {
                return; // the client waits for our answer (its stream's replay): no frame may go before it
            }
            if (pinged) {
                session.close(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE.code(), "idle timeout");
            } else {
                pinged = true;
                outbound().ping();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException corrupt) {
            // Netty's decoder stopped reading and left the close to us (closeOnProtocolViolation is off: after a
            // broken close frame it would drop the connection without one). The close frame carries its code:
            // 1002, 1007 (not UTF-8) or 1009.
            LOG.log(Level.DEBUG, "peer broke the WebSocket protocol", cause);
            String reason = String.valueOf(corrupt.getMessage());
            // The decoder checks UTF-8 only in close frames (text is checked above): a broken close reason is a
            // protocol error, as is an invalid close code.
            int code = corrupt.closeStatus() == WebSocketCloseStatus.INVALID_PAYLOAD_DATA
                    ? WebSocketCloseStatus.PROTOCOL_ERROR.code() : corrupt.closeStatus().code();
            session.end(null, code, reason.length() > 120 ? reason.substring(0, 120) : reason);
            return;
        }
        if (cause instanceof TooLongFrameException) {
            session.end(null, WebSocketCloseStatus.MESSAGE_TOO_BIG.code(), "message too big");
            return;
        }
        LOG.log(Level.DEBUG, "closing WebSocket after error", cause);
        ctx.close();
    }
}
