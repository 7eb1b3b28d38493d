package dev.streams.transport.ws.internal;

import dev.streams.auth.StreamsAuth;
import dev.streams.core.Broker;
import dev.streams.core.OverflowPolicy;
import dev.streams.core.SubscribeOptions;
import dev.streams.transport.ws.ConnectionLimits;
import dev.streams.transport.ws.HttpEndpoint;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.internal.PlatformDependent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * What a {@code StreamsServer.Builder} has been told, with every default; the builder validates, this holds.
 * {@link #context()} turns it into the parts of one server, copying what could still change, so a builder used
 * again changes no server already built.
 */
public final class ServerSettings {
    public final Broker broker;
    public final StreamsAuth auth;
    public String host = "127.0.0.1";
    public int port = 8080;
    public SSLContext sslContext;
    public Path certificatePem;
    public Path privateKeyPem;
    public int eventLoopThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
    public boolean nativeTransport = true;
    public Set<String> allowedOrigins = Set.of();
    /** The host's own metrics, rendered after the server's. */
    public final java.util.List<java.util.function.Supplier<? extends java.util.Collection<dev.streams.transport.ws.MetricSample>>>
            metricSources = new java.util.ArrayList<>();
    public int maxFrameBytes = 64 * 1024;
    public int maxMessageBytes = 1024 * 1024;
    public int maxBodyBytes = 1024 * 1024;
    public int maxConnections = 10_000;
    public Duration idleTimeout = Duration.ofSeconds(60);
    public Duration requestTimeout = Duration.ofSeconds(30);
    public int maxConnectionsPerProject = 5_000;
    public int maxOutboundBytes = 1024 * 1024;
    /** A quarter of the direct memory limit, at most 256 MiB, at least 16 MiB. */
    public long maxTotalOutboundBytes = Math.max(16L << 20, Math.min(256L << 20, PlatformDependent.maxDirectMemory() / 4));
    public int maxSubscriptionsPerConnection = 100;
    public SubscribeOptions subscribeOptions = SubscribeOptions.builder().maxQueuedEvents(1024)
            .overflowPolicy(OverflowPolicy.DROP_OLDEST).build();
    public Duration tokenTtl = Duration.ofMinutes(1);
    public Duration closeTimeout = Duration.ofSeconds(5);
    public Duration writeCoalescing = Duration.ZERO;
    public Duration maxWriteHold = Duration.ofMillis(8);
    public Duration maxPublisherStall = Duration.ofMillis(50);
    public final Map<String, HttpEndpoint> endpoints = new HashMap<>();
    public HttpEndpoint fallback;
    public boolean compression = true;
    public int compressMinBytes = 256;
    public int queryThreads = 2;
    /** Zero: one less than the query threads, at least one. */
    public int maxQueriesPerProject;
    public int replayThreads = 4;
    public int maxWaitingReplays = 20_000;
    public int maxWaitingQueriesPerProject = 8;
    public Duration maxQueryWait = Duration.ofSeconds(2);
    public ConnectionLimits connectionLimits = ConnectionLimits.defaults();

    public ServerSettings(Broker broker, StreamsAuth auth) {
        this.broker = broker;
        this.auth = auth;
    }

    /** The parts every handler of one server shares, built from these settings. */
    public ServerContext context() {
        ServerLimits limits = new ServerLimits(maxFrameBytes, maxMessageBytes, maxBodyBytes, maxConnections,
                maxConnectionsPerProject, idleTimeout, requestTimeout, maxOutboundBytes,
                maxSubscriptionsPerConnection, maxTotalOutboundBytes, maxPublisherStall);
        ServerContext.Compression compressing = new ServerContext.Compression(compression, compressMinBytes);
        OutboundBudget outboundBudget = new OutboundBudget(limits.maxTotalOutboundBytes());
        ReplayQueue replays = new ReplayQueue(replayThreads, maxWaitingReplays,
                new DefaultThreadFactory("streams-replay", true));
        ConnectionAdmission admission = new ConnectionAdmission(connectionLimits, maxConnections);
        return new ServerContext(broker, auth, new ServerMetrics(outboundBudget, replays, admission, metricSources),
                new DefaultChannelGroup("streams", GlobalEventExecutor.INSTANCE),
                new ProjectConnections(maxConnectionsPerProject), Set.copyOf(allowedOrigins), limits,
                subscribeOptions, tokenTtl, new HostRoutes(endpoints, fallback), compressing,
                new SseResumes(maxConnections, Duration.ofMinutes(5)),
                QueryGate.create(queryThreads, maxQueriesPerProject, maxWaitingQueriesPerProject, maxQueryWait),
                replays, ServerContext.webSocketConfig(limits, compressing), outboundBudget, admission);
    }
}
