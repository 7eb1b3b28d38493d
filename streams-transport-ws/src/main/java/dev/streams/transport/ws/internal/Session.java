package dev.streams.transport.ws.internal;

import dev.streams.core.CloseReason;
import dev.streams.core.Encoding;
import dev.streams.core.Gap;
import dev.streams.core.StartPosition;
import dev.streams.core.Subscription;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One WebSocket connection speaking one dialect. Runs on its channel's event loop only: frames in, broker
 * deliveries (the subscriptions use the event loop as their executor) and writability changes, so its
 * state needs no locks.
 */
public abstract class Session {
    /** Close codes beyond RFC 6455's: 4000 + the HTTP status the error would have had. */
    public static final int GOING_AWAY = 1001;
    public static final int POLICY = 1008;
    public static final int TOO_BIG = 1009;
    public static final int UNSUPPORTED = 1003;
    /** How long a client gets to answer our close frame before the connection is dropped. */
    private static final int CLOSE_GRACE_SECONDS = 2;

    protected final Channel channel;
    protected final ServerContext server;
    protected final Dialect dialect;
    private final List<SubscriptionSink> sinks = new ArrayList<>();
    /** This dialect's counters, looked up once: sendEncoded runs for every frame to every subscriber. */
    private final ServerMetrics.PerDialect counters;
    private final FrameBatcher frames;
    private boolean closing;

    protected Session(Channel channel, ServerContext server, Dialect dialect) {
        this.channel = channel;
        this.server = server;
        this.dialect = dialect;
        this.counters = server.metrics().of(dialect);
        this.frames = new FrameBatcher(channel);
    }

    /** Called once the handshake completed. */
    public abstract void onOpen();

    /** One complete text message from the client. */
    public abstract void onText(String text);

    /** Events of a topic were missed; dialects that can say so in-band do. */
    protected void onGap(Gap gap) {
    }

    final void gapObserved(Gap gap) {
        if (gap.cause() == Gap.Cause.QUEUE_OVERFLOW) {
            counters.dropped.add(gap.missed());
        }
        onGap(gap);
    }

    /** Counts an event this session published. */
    protected final void countPublished() {
        counters.published.increment();
    }

    public Dialect dialect() {
        return dialect;
    }

    protected final boolean isClosing() {
        return closing;
    }

    /** Subscribes through the broker with this connection's event loop and outbound flow control. */
    protected final SubscriptionSink subscribe(String project, String pattern, StartPosition start,
                                               Encoding<byte[]> encoding) {
        SubscriptionSink sink = new SubscriptionSink(this, encoding);
        Subscription sub = server.broker().subscribe(project, pattern, start,
                server.subscribeOptions().toBuilder().executor(channel.eventLoop()).manualDemand().build(), sink);
        sink.attach(sub);
        sinks.add(sink);
        counters.subscriptionsOpen.increment();
        return sink;
    }

    protected final void unsubscribe(SubscriptionSink sink) {
        if (sinks.remove(sink)) {
            sink.cancel();
            counters.subscriptionsOpen.decrement();
        }
    }

    protected final int subscriptionCount() {
        return sinks.size();
    }

    final void writabilityChanged() {
        if (channel.isWritable()) {
            for (SubscriptionSink sink : sinks) {
                sink.refill();
            }
        }
    }

    /** Sends one text frame (batched with others of this turn); fan-out never waits for the write. */
    final void sendEncoded(byte[] utf8) {
        frames.add(utf8);
        counters.framesOut.increment();
        counters.bytesOut.add(utf8.length);
    }

    protected final void sendText(String text) {
        sendEncoded(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends the dialect's error object, then a close frame with a code and reason, then closes. */
    protected final void fail(String errorJson, int code, String reason) {
        if (closing) {
            return;
        }
        counters.errors.increment();
        if (errorJson != null) {
            sendText(errorJson);
        }
        close(code, reason);
    }

    protected final void close(int code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        cancelAll();
        frames.flush();
        if (!channel.isWritable()) {
            // A client that stopped reading would never receive the close frame: drop it now.
            channel.close();
            return;
        }
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, CLOSE_GRACE_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** A subscription of this session ended in the broker. */
    void subscriptionClosed(CloseReason reason) {
        if (reason == CloseReason.SLOW_CONSUMER) {
            counters.slowDisconnects.increment();
            onSlowConsumer();
        } else if (reason == CloseReason.BROKER_CLOSED) {
            close(GOING_AWAY, "server shutting down");
        }
    }

    /** The client did not keep up under the DISCONNECT policy. */
    protected abstract void onSlowConsumer();

    /** Runs a task on this session's event loop, where all its state lives. */
    public final void channelExecute(Runnable task) {
        channel.eventLoop().execute(task);
    }

    /** The server is shutting down: tell the client to come back later. */
    public final void goAway() {
        close(GOING_AWAY, "server shutting down");
    }

    /** The channel closed, whoever closed it. */
    final void closed() {
        closing = true;
        frames.discard();
        cancelAll();
        server.sessions().remove(this);
        counters.connectionsOpen.decrement();
    }

    private void cancelAll() {
        for (SubscriptionSink sink : List.copyOf(sinks)) {
            unsubscribe(sink);
        }
    }
}
