package dev.streams.transport.ws;

import dev.streams.auth.StreamsAuth;
import dev.streams.core.Broker;
import dev.streams.core.SubscribeOptions;
import dev.streams.transport.ws.internal.Apis;
import dev.streams.transport.ws.internal.Checks;
import dev.streams.transport.ws.internal.IoTransport;
import dev.streams.transport.ws.internal.ServerContext;
import dev.streams.transport.ws.internal.ServerRuntime;
import dev.streams.transport.ws.internal.ServerSettings;
import dev.streams.transport.ws.internal.Tls;
import dev.streams.transport.ws.internal.golioth.GoliothApi;
import dev.streams.transport.ws.internal.m3o.M3oApi;
import dev.streams.transport.ws.internal.nativeproto.NativeApi;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * The HTTP and WebSocket front end, on one port: m3o Streams ({@code /v1/streams/Publish|Token|Subscribe}),
 * Golioth LightDB Stream ({@code /v1/ws/projects/{p}[/devices/{d}]/stream}, the History REST API at
 * {@code GET|POST /v1/projects/{p}[/devices/{d}]/stream}, and device ingestion at
 * {@code POST /v1/projects/{p}/devices/{d}/ingest[/path]}), the native protocol ({@code /v1/ws/native}),
 * {@code /healthz} and {@code /metrics}. Built on Netty over a {@link Broker} and a {@link StreamsAuth} that
 * the host owns. Every limit has a default and is enforced.
 *
 * <pre>{@code
 * StreamsServer server = StreamsServer.builder(broker, auth).port(8080).build().start();
 * ...
 * server.close();
 * }</pre>
 */
public final class StreamsServer implements AutoCloseable {
    // Fixed at build(): the builder is not kept, so changing it later changes no running server.
    private final String host;
    private final int port;
    private final boolean tls;
    private final IoTransport transport;
    private final ServerContext context;
    private final ServerRuntime runtime;

    private StreamsServer(ServerSettings settings) {
        this.host = settings.host;
        this.port = settings.port;
        SslContext ssl = Tls.context(settings.sslContext, settings.certificatePem, settings.privateKeyPem);
        this.tls = ssl != null;
        this.transport = IoTransport.choose(settings.nativeTransport);
        this.context = settings.context();
        // The APIs this server speaks, each one dialect: the one place that names them all.
        Apis apis = new Apis(List.of(new NativeApi(context), new M3oApi(context), new GoliothApi(context)));
        this.runtime = new ServerRuntime(context, apis, ssl, transport, settings.eventLoopThreads, settings.closeTimeout,
                settings.writeCoalescing, settings.maxWriteHold);
    }

    /** Starts building a server over a broker and auth that the host owns. */
    public static Builder builder(Broker broker, StreamsAuth auth) {
        return new Builder(broker, auth);
    }

    /**
     * Binds and starts serving; returns this server. Throws IllegalStateException naming the address when it
     * cannot listen (the port is in use, the address is not this machine's).
     */
    public synchronized StreamsServer start() {
        runtime.start(host, port);
        return this;
    }

    /** The bound address; with port 0 this tells the port the system chose. */
    public InetSocketAddress address() {
        return runtime.address();
    }

    /** The bound port (the one the system chose, with port 0). */
    public int port() {
        return address().getPort();
    }

    /**
     * Every metric's current value (what {@code /metrics} renders), for hosts that feed their own registry;
     * see the streams-micrometer module.
     */
    public List<MetricSample> metrics() {
        return context.metrics().samples(context.broker());
    }

    /** Connections open now, HTTP and WebSocket alike (also in /metrics as {@code streams_connections}). */
    public int openConnections() {
        return context.channels().size();
    }

    /** Whether the server runs on Netty's native epoll transport (else Java NIO); see {@link Builder#nativeTransport}. */
    public boolean isNativeTransport() {
        return transport == IoTransport.EPOLL;
    }

    /** Whether TLS is on, so clients should use https and wss. */
    public boolean isTls() {
        return tls;
    }

    /**
     * Stops accepting connections, tells every WebSocket client to come back later (close 1001), lets
     * in-flight requests finish, then stops the event loops. The broker and auth stay open: the host owns them.
     */
    @Override
    public synchronized void close() {
        runtime.close();
    }

    /** Builds a {@link StreamsServer}; everything but the broker and auth has a default. */
    public static final class Builder {
        private final ServerSettings settings;

        private Builder(Broker broker, StreamsAuth auth) {
            this.settings = new ServerSettings(Objects.requireNonNull(broker, "broker"),
                    Objects.requireNonNull(auth, "auth"));
        }

        /** Address to bind (default 127.0.0.1; use 0.0.0.0 to serve other machines). */
        public Builder host(String host) {
            settings.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** Port to bind (default 8080; 0 picks a free one, see {@link StreamsServer#port()}). */
        public Builder port(int port) {
            settings.port = port;
            return this;
        }

        /** Serve TLS with this context. */
        public Builder tls(SSLContext context) {
            settings.sslContext = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * Serve TLS with a PEM certificate chain and a PEM (PKCS#8) private key; throws IllegalArgumentException
         * at {@link #build()} when they cannot be loaded.
         */
        public Builder tls(Path certificateChainPem, Path privateKeyPem) {
            settings.certificatePem = Objects.requireNonNull(certificateChainPem, "certificate");
            settings.privateKeyPem = Objects.requireNonNull(privateKeyPem, "key");
            return this;
        }

        /**
         * Whether to serve with Netty's native epoll transport where it loads (Linux x86-64; default true): less
         * memory per connection and cheaper event-loop wake-ups. Java NIO serves elsewhere, or when this is false.
         */
        public Builder nativeTransport(boolean enabled) {
            settings.nativeTransport = enabled;
            return this;
        }

        /** Threads of Netty's event loops (default: cores, at least 2). */
        public Builder eventLoopThreads(int threads) {
            settings.eventLoopThreads = Checks.positive(threads, "eventLoopThreads");
            return this;
        }

        /** Browser origins (for example {@code https://app.example}) allowed to open WebSockets; none set allows any. */
        public Builder allowedOrigins(Set<String> origins) {
            settings.allowedOrigins = Set.copyOf(origins);
            return this;
        }

        /** Largest WebSocket frame (default 64 KiB); larger ones close the connection with 1009. */
        public Builder maxFrameBytes(int bytes) {
            settings.maxFrameBytes = Checks.positive(bytes, "maxFrameBytes");
            return this;
        }

        /** Largest WebSocket message after reassembling fragments (default 1 MiB). */
        public Builder maxMessageBytes(int bytes) {
            settings.maxMessageBytes = Checks.positive(bytes, "maxMessageBytes");
            return this;
        }

        /** Largest HTTP request body (default 1 MiB); larger ones get 413. */
        public Builder maxBodyBytes(int bytes) {
            settings.maxBodyBytes = Checks.positive(bytes, "maxBodyBytes");
            return this;
        }

        /** Open connections at most (default 10,000); more get 503. */
        public Builder maxConnections(int connections) {
            settings.maxConnections = Checks.positive(connections, "maxConnections");
            return this;
        }

        /**
         * Connections per source address, connections without a credential, how long a connection may go without
         * one, and the keep-alive caps (default {@link ConnectionLimits#defaults()}).
         */
        public Builder connectionLimits(ConnectionLimits limits) {
            settings.connectionLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Open WebSocket sessions of one project at most (default 5,000); more are refused with LIMIT_EXCEEDED. */
        public Builder maxConnectionsPerProject(int connections) {
            settings.maxConnectionsPerProject = Checks.positive(connections, "maxConnectionsPerProject");
            return this;
        }

        /**
         * How long a client has to complete an HTTP request, counted from the connection opening or the
         * previous response (so it also ends idle keep-alive connections), and how long an m3o Subscribe
         * socket has to send its first frame (default 30 s). Late requests get 408; counted in /metrics.
         */
        public Builder requestTimeout(Duration timeout) {
            settings.requestTimeout = Checks.positive(timeout, "requestTimeout");
            return this;
        }

        /**
         * Write coalescing under fan-out load: when an event loop is about to write to 16 or more connections
         * within this time of its last such pass, it waits for the rest of the time, so that every connection's
         * write carries all the events of that time. Fewer system calls per delivery (measured in the benchmarks'
         * README), for up to this much more latency; passes over fewer connections, such as a publisher's
         * acknowledgements, are never held. Default zero: passes are spaced by {@link #maxWriteHold} alone.
         * At most one second.
         */
        public Builder writeCoalescing(Duration coalescing) {
            settings.writeCoalescing = Checks.upTo(coalescing, Duration.ofSeconds(1), "writeCoalescing");
            return this;
        }

        /**
         * Writes under fan-out load grow rather than multiply: when an event loop's passes over 16 or more
         * connections come back to back, the next waits until as long after the last ended as that one took, at
         * most this long, while the loop reads and hands over what arrives; a loop that keeps up never waits. The
         * price is latency under load: up to one pass more, and where writing needs over half of a loop's time,
         * passes grow until the wait is this long. Default 8 ms; zero: a loop writes as soon as it has nothing else
         * queued. At most one second.
         */
        public Builder maxWriteHold(Duration hold) {
            settings.maxWriteHold = Checks.upTo(hold, Duration.ofSeconds(1), "maxWriteHold");
            return this;
        }

        /**
         * The longest a publishing connection goes unread while its topic's fan-out is far behind (an event loop
         * holds over half the events it may hold; past that it drops, and tells the subscribers). The client is
         * slowed by TCP rather than its events dropped; after this it is read again. Default 50 ms; zero: never.
         */
        public Builder maxPublisherStall(Duration stall) {
            settings.maxPublisherStall = Checks.upTo(stall, Duration.ofSeconds(10), "maxPublisherStall");
            return this;
        }

        /** A silent connection is pinged after half of this and closed after all of it (default 60 s). */
        public Builder idleTimeout(Duration timeout) {
            settings.idleTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Bytes buffered for a client that is not reading before its subscriptions stop pulling (default 1 MiB). */
        public Builder maxOutboundBytes(int bytes) {
            settings.maxOutboundBytes = Checks.positive(bytes, "maxOutboundBytes");
            return this;
        }

        /**
         * Bytes buffered for all clients together before every subscription stops pulling, so that many slow
         * readers cannot exhaust memory (default: a quarter of the direct memory limit, at most 256 MiB, at least
         * 16 MiB). Events then wait in the subscriptions' queues under their overflow policies.
         */
        public Builder maxTotalOutboundBytes(long bytes) {
            settings.maxTotalOutboundBytes = Checks.positive(bytes, "maxTotalOutboundBytes");
            return this;
        }

        /** Subscriptions one native-protocol connection may hold (default 100). */
        public Builder maxSubscriptionsPerConnection(int count) {
            settings.maxSubscriptionsPerConnection = Checks.positive(count, "maxSubscriptionsPerConnection");
            return this;
        }

        /** Queue bounds and slow-consumer policy of each WebSocket subscription (default 1024 events, DROP_OLDEST). */
        public Builder subscribeOptions(SubscribeOptions options) {
            settings.subscribeOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Whether WebSocket clients that offer permessage-deflate (browsers do) get it (default on). Each event
         * is compressed once per dialect and the same bytes go to every connection that negotiated it.
         */
        public Builder compression(boolean enabled) {
            settings.compression = enabled;
            return this;
        }

        /** Frames shorter than this go uncompressed even where compression was negotiated (default 256 bytes). */
        public Builder compressMinBytes(int bytes) {
            settings.compressMinBytes = Checks.notNegative(bytes, "compressMinBytes");
            return this;
        }

        /** Threads that run history queries (default 2); 64 more may wait, further ones get 503. */
        public Builder queryThreads(int threads) {
            settings.queryThreads = Checks.positive(threads, "queryThreads");
            return this;
        }

        /**
         * Threads that make subscriptions needing a read of the history store (default 4): opening a topic not
         * in memory, or a replay from before what memory holds. Projects take turns; subscriptions that memory
         * answers never wait here.
         */
        public Builder replayThreads(int threads) {
            settings.replayThreads = Checks.positive(threads, "replayThreads");
            return this;
        }

        /**
         * Subscriptions that may wait for a replay thread, in all (default 20,000): a reconnect storm waits
         * rather than fails; beyond this a subscription is refused with UNAVAILABLE and a retry hint, counted
         * in {@code streams_replays_refused_total}.
         */
        public Builder maxWaitingReplays(int replays) {
            settings.maxWaitingReplays = Checks.positive(replays, "maxWaitingReplays");
            return this;
        }

        /**
         * History queries of one project that run at once (default one less than {@link #queryThreads}, at
         * least one), so that one tenant's heavy queries always leave a thread for the others.
         */
        public Builder maxQueriesPerProject(int queries) {
            settings.maxQueriesPerProject = Checks.positive(queries, "maxQueriesPerProject");
            return this;
        }

        /**
         * A project's history queries that may wait for a place (default 8), each at most {@code maxWait}
         * (default 2 s); beyond either, a query is refused with 429 and a Retry-After, counted in
         * {@code streams_history_queries_refused_total}.
         */
        public Builder queryQueue(int maxWaitingPerProject, Duration maxWait) {
            settings.maxWaitingQueriesPerProject = Checks.notNegative(maxWaitingPerProject, "maxWaitingPerProject");
            settings.maxQueryWait = Objects.requireNonNull(maxWait, "maxWait");
            return this;
        }

        /** Lifetime of tokens from m3o's Token call (default one minute, as m3o). */
        public Builder tokenTtl(Duration ttl) {
            settings.tokenTtl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /** How long {@link StreamsServer#close()} waits for clients and requests (default 5 s). */
        public Builder closeTimeout(Duration timeout) {
            settings.closeTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Adds an HTTP endpoint at an exact path; built-in paths take precedence. */
        public Builder endpoint(String path, HttpEndpoint endpoint) {
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("paths start with /");
            }
            settings.endpoints.put(path, Objects.requireNonNull(endpoint, "endpoint"));
            return this;
        }

        /**
         * Answers requests that no built-in path and no {@link #endpoint} covers (static files, say); when it
         * returns null the server answers 404 in the shape of the API the path belongs to.
         */
        public Builder fallback(HttpEndpoint endpoint) {
            settings.fallback = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /**
         * Adds samples of the host's own (a CoAP endpoint's counters, say) to {@code /metrics} and to
         * {@link StreamsServer#metrics()}, after the server's; read each time metrics are asked for.
         */
        public Builder metricSource(java.util.function.Supplier<? extends Collection<MetricSample>> source) {
            settings.metricSources.add(Objects.requireNonNull(source, "source"));
            return this;
        }

        /** Builds the server; {@link StreamsServer#start()} binds it. */
        public StreamsServer build() {
            return new StreamsServer(settings);
        }
    }
}
