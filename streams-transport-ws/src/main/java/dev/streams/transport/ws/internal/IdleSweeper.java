package dev.streams.transport.ws.internal;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;

/**
 * Finds connections that have read nothing for half the idle timeout and tells their pipelines, as Netty's
 * {@code IdleStateHandler} would (a WebSocket is pinged, then closed; an SSE stream gets a heartbeat). One task
 * walks all connections a few times per timeout instead of a handler, a timer and a timeout task on every
 * connection: about 280 bytes less per idle connection, and no timer re-armed per connection.
 *
 * <p>Each connection's {@link ConnectionHead} (first in its pipeline, or after a WebSocket handshake kept by the
 * session's handler) records when it last read; this sweep reads that from its own thread and hands the event
 * to the connection's event loop.
 */
public final class IdleSweeper implements Runnable {
    private final ChannelGroup channels;
    private final long halfIdleNanos;

    public IdleSweeper(ChannelGroup channels, Duration idleTimeout) {
        this.channels = channels;
        this.halfIdleNanos = idleTimeout.toNanos() / 2;
    }

    /** How often to sweep: an eighth of the timeout (at least every 10 ms), so events come at most that late. */
    public static Duration period(Duration idleTimeout) {
        return Duration.ofNanos(Math.max(Duration.ofMillis(10).toNanos(), idleTimeout.toNanos() / 8));
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        for (Channel channel : channels) {
            ConnectionHead head = ConnectionHead.find(channel);
            if (head != null && head.idleEventDue(now, halfIdleNanos)) {
                channel.eventLoop().execute(
                        () -> channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT));
            }
        }
    }
}
