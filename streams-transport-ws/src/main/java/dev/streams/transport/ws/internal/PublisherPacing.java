package dev.streams.transport.ws.internal;

import io.netty.channel.Channel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Slows a publisher down to what the fan-out delivers, rather than letting the fan-out drop. After a publish
 * whose topic's fan-out is far behind ({@code Broker.fanOutBehind}: an event loop holds over half the events it
 * may hold, and past that it drops and tells the subscribers), the publishing connection stops being read. TCP
 * then holds the client back, as the {@link ConnectionHead} does for a peer that does not read. The fan-out is
 * looked at again every {@link #CHECK_MILLIS} ms, and the connection is read again once it caught up, or after the
 * server's {@code maxPublisherStall} however it stands: a loop blocked for good costs publishers a moment per
 * stall, never their connection, and what it cannot take is dropped and told as before.
 *
 * <p>Applied where a connection publishes: the native protocol's publish, m3o's Publish call and Golioth's HTTP
 * ingest. The pacing is per connection, as TCP's is: a client that opens a new connection for each publish is
 * not held (each connection's first request is read), and meets the connection limits and the project's publish
 * rate limit instead. Nothing per connection until a stall: this task exists only while one lasts. Event loop of
 * the connection.
 */
public final class PublisherPacing implements Runnable {
    private static final long CHECK_MILLIS = 1;

    private final ServerContext server;
    private final Channel channel;
    private final ConnectionHead head;
    private final String project;
    private final String topic;
    private final long endsAt;

    private PublisherPacing(ServerContext server, Channel channel, ConnectionHead head, String project, String topic,
                            Duration maxStall) {
        this.server = server;
        this.channel = channel;
        this.head = head;
        this.project = project;
        this.topic = topic;
        this.endsAt = System.nanoTime() + maxStall.toNanos();
    }

    /** After {@code channel} published to {@code topic}: stalls it while the topic's fan-out is far behind. */
    public static void afterPublish(ServerContext server, Channel channel, String project, String topic) {
        Duration maxStall = server.limits().maxPublisherStall();
        if (maxStall.isZero() || !channel.config().isAutoRead() || !server.broker().fanOutBehind(project, topic)) {
            return;
        }
        ConnectionHead head = ConnectionHead.of(channel);
        if (head == null) {
            return;
        }
        server.metrics().publisherStalls.increment();
        head.pace(channel, true);
        channel.eventLoop().schedule(new PublisherPacing(server, channel, head, project, topic, maxStall),
                CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void run() {
        if (!channel.isActive()) {
            return;
        }
        if (server.broker().fanOutBehind(project, topic) && System.nanoTime() - endsAt < 0) {
            channel.eventLoop().schedule(this, CHECK_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        head.pace(channel, false);
    }
}
