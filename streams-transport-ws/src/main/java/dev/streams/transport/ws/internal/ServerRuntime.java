package dev.streams.transport.ws.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.EventExecutor;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A server while it runs: its event loops, the listening socket, the sweeps that walk every connection (idle,
 * revocation), and the order of a graceful close. One per {@code StreamsServer}; start and close are called
 * under the server's lock.
 */
public final class ServerRuntime {
    private final ServerContext context;
    private final Apis apis;
    private final SslContext ssl;
    private final IoTransport transport;
    private final int eventLoopThreads;
    private final Duration closeTimeout;
    private final Duration writeCoalescing;
    private final Duration maxWriteHold;
    private EventLoopGroup group;
    private Channel serverChannel;
    private boolean closed;

    public ServerRuntime(ServerContext context, Apis apis, SslContext ssl, IoTransport transport,
                         int eventLoopThreads, Duration closeTimeout, Duration writeCoalescing,
                         Duration maxWriteHold) {
        this.context = context;
        this.apis = apis;
        this.ssl = ssl;
        this.transport = transport;
        this.eventLoopThreads = eventLoopThreads;
        this.closeTimeout = closeTimeout;
        this.writeCoalescing = writeCoalescing;
        this.maxWriteHold = maxWriteHold;
    }

    /**
     * Binds {@code host:port} and serves. Throws IllegalStateException when already started, and naming the
     * address when it cannot listen (the port is in use, the address is not this machine's).
     */
    public void start(String host, int port) {
        if (group != null) {
            throw new IllegalStateException("already started");
        }
        group = new MultiThreadIoEventLoopGroup(eventLoopThreads, new DefaultThreadFactory("streams-io", true),
                transport.handlerFactory());
        long coalesceNanos = writeCoalescing.toNanos();
        long maxHoldNanos = maxWriteHold.toNanos();
        // Each loop's flusher is its own (a thread-local of the loop): configured on the loop, before any channel.
        for (EventExecutor loop : group) {
            loop.execute(() -> LoopFlusher.space(loop, coalesceNanos, maxHoldNanos));
        }
        int maxOutboundBytes = context.limits().maxOutboundBytes();
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // Netty's adaptive sizing, with a smaller state per connection (see ReceiveSizing).
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, ReceiveSizing.INSTANCE)
                .childOption(ChannelOption.MESSAGE_SIZE_ESTIMATOR, BufferCapacityEstimator.INSTANCE)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(maxOutboundBytes / 2, maxOutboundBytes))
                .childHandler(new PipelineInitializer(context, apis, ssl));
        Duration sweep = IdleSweeper.period(context.limits().idleTimeout());
        group.next().scheduleAtFixedRate(new IdleSweeper(context.channels(), context.limits().idleTimeout()),
                sweep.toNanos(), sweep.toNanos(), TimeUnit.NANOSECONDS);
        long revocations = RevocationSweeper.PERIOD.toNanos();
        group.next().scheduleAtFixedRate(new RevocationSweeper(context::openSessions, context.auth()),
                revocations, revocations, TimeUnit.NANOSECONDS);
        try {
            serverChannel = bootstrap.bind(host, port).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.shutdownGracefully();
            throw new IllegalStateException("interrupted while binding", e);
        } catch (Exception e) {
            // A port in use or an address not on this machine: Netty's bind rethrows the socket's IOException.
            group.shutdownGracefully();
            String reason = String.valueOf(e.getMessage())
                    .replaceFirst("^bind\\(\\.\\.\\) failed( with error\\(-?\\d+\\))?: ", "");
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + reason, e);
        }
    }

    /** The bound address. */
    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /**
     * Stops accepting connections, tells every session to come back later (close 1001), lets in-flight requests
     * finish within the close timeout, then stops the event loops. Does nothing before start or a second time;
     * after a start that could not listen, only lets the server's own threads go.
     */
    public void close() {
        if (closed || group == null) {
            return;
        }
        closed = true;
        if (serverChannel == null) {
            // The bind failed: the event loops are already stopping, and no connection was ever taken.
            context.queries().shutdown();
            context.replays().shutdown();
            return;
        }
        serverChannel.close().awaitUninterruptibly();
        for (Session session : context.openSessions()) {
            session.channelExecute(session::goAway);
        }
        long deadline = System.nanoTime() + closeTimeout.toNanos();
        while (!context.openSessions().isEmpty() && System.nanoTime() < deadline) {
            sleepBriefly();
        }
        // What is left is idle HTTP keep-alive connections or clients that ignored the close frame.
        context.channels().close().awaitUninterruptibly();
        context.queries().shutdown();
        context.replays().shutdown();
        group.shutdownGracefully(0, closeTimeout.toMillis(), TimeUnit.MILLISECONDS).awaitUninterruptibly();
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
