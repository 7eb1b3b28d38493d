package dev.streams.cluster.redis;

import dev.streams.cluster.redis.internal.Keys;
import dev.streams.cluster.redis.internal.PublishBatcher;
import dev.streams.cluster.redis.internal.Receiver;
import dev.streams.cluster.redis.internal.Recovery;
import dev.streams.core.ClusterEngine;
import dev.streams.core.ErrorKind;
import dev.streams.core.Event;
import dev.streams.core.HistoryStore;
import dev.streams.core.Position;
import dev.streams.core.StreamsException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ClusterEngine} on Redis: every Streams server built with one (on the same Redis and key prefix)
 * is a node of one cluster. A publish on any node reaches the matching subscribers of every node, cursors mean
 * the same on every node, and a client that reconnects to another node resumes with no gap.
 *
 * <pre>{@code
 * Broker broker = Broker.builder()
 *         .cluster(RedisClusterEngine.builder("redis://127.0.0.1:6379").build())
 *         .build();
 * }</pre>
 *
 * <p>How: one Lua script positions a batch of a project's events atomically. Per topic, it takes the next
 * offset (and a strictly rising timestamp) from the topic's hash, appends the event to the topic's short
 * recovery stream ({@code XADD MAXLEN ~}) and publishes the batch on the project's one channel. Every node
 * listens to all project channels with one pattern subscription and applies what it receives to its own
 * broker, whose index fans it out locally (wildcards included). A node that missed messages notices the
 * offset discontinuity (or catches up after reconnecting) and refills from the recovery stream; only what the
 * stream no longer has becomes a gap, counted exactly. Resumes are served from the node's ring, then the
 * recovery stream.
 *
 * <p>Faults: while Redis is unreachable, publishes fail at once with UNAVAILABLE (never queued and lost),
 * live subscribers stay connected, {@link #status()} is unhealthy, and Lettuce reconnects by itself. Redis
 * restarted empty gives every topic a new epoch on its next publish, which resuming clients see as
 * EPOCH_CHANGED. A publish that timed out may still have been accepted; its client's cursor tells.
 */
public final class RedisClusterEngine implements ClusterEngine {
    private final String nodeName;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> commands;
    private final StatefulRedisPubSubConnection<byte[], byte[]> pubSub;
    private final Keys keys;
    private final PublishBatcher batcher;
    private final Recovery recovery;
    private final Receiver receiver;
    private volatile boolean commandsUp = true;
    private volatile boolean pubSubUp = true;
    private volatile String lastProblem = "ok";

    private RedisClusterEngine(Builder b) {
        this.nodeName = b.nodeName;
        this.keys = new Keys(b.keyPrefix);
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), b.maxReconnectDelay, 2, TimeUnit.MILLISECONDS))
                .build();
        RedisURI uri = RedisURI.create(b.uri);
        uri.setClientName("streams-" + nodeName);
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // While Redis is away, fail publishes now rather than queue them in memory.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(b.timeout))
                .build());
        client.addListener(new ConnectionWatch());
        try {
            this.commands = client.connect(ByteArrayCodec.INSTANCE);
            this.pubSub = client.connectPubSub(ByteArrayCodec.INSTANCE);
        } catch (RedisException e) {
            client.shutdown();
            resources.shutdown();
            throw new StreamsException(ErrorKind.UNAVAILABLE, "cannot reach Redis at " + b.uri + ": " + e.getMessage());
        }
        this.recovery = new Recovery(commands.async(), keys, b.timeout);
        this.batcher = new PublishBatcher(commands.async(), keys, nodeName, b.recoveryEvents, b.logMessages,
                b.keyLifetime.toMillis(), b.maxRecoveryBytesPerProject, b.maxBatch, b.maxQueuedPublishes, b.maxCallsInFlight, b.idempotencyWindow.toMillis(),
                "streams-cluster-publish-" + nodeName);
        this.receiver = new Receiver(keys, nodeName, recovery, b.inboxCapacity, "streams-cluster-apply-" + nodeName);
    }

    /** Starts building an engine on the Redis at {@code redisUri} (for example {@code redis://127.0.0.1:6379}). */
    public static Builder builder(String redisUri) {
        return new Builder(redisUri);
    }

    /** This node's name (given, or a unique default); Redis shows it as the client name {@code streams-<name>}. */
    public String nodeName() {
        return nodeName;
    }

    @Override
    public void start(Node node) {
        // The sequence before subscribing: whatever is published from here on is received or read back.
        receiver.start(node, recovery.sequence());
        pubSub.addListener(receiver);
        try {
            pubSub.sync().psubscribe(keys.channels());
        } catch (RedisException e) {
            throw new StreamsException(ErrorKind.UNAVAILABLE, "cannot subscribe on Redis: " + e.getMessage());
        }
    }

    @Override
    public CompletableFuture<Event> publish(Event event) {
        return batcher.submit(event);
    }

    @Override
    public Optional<Position> position(String project, String topic) {
        return recovery.position(project, topic);
    }

    @Override
    public List<Event> recover(String project, String topic, long epoch, long fromOffset, long toOffset) {
        return recovery.read(project, topic, epoch, fromOffset, toOffset).stream().map(Recovery.Recovered::event)
                .toList();
    }

    /**
     * Healthy while both connections to Redis are up; the metrics count publishes, batches, refills and
     * losses ({@code streams_cluster_*}).
     */
    @Override
    public HistoryStore.Status status() {
        boolean healthy = commandsUp && pubSubUp;
        Map<String, Number> metrics = new LinkedHashMap<>();
        metrics.put("streams_cluster_connected", healthy ? 1 : 0);
        metrics.put("streams_cluster_publish_queue", batcher.queued());
        metrics.put("streams_cluster_publish_calls_total", batcher.calls());
        metrics.put("streams_cluster_published_total", batcher.published());
        metrics.put("streams_cluster_publish_failures_total", batcher.failed());
        metrics.put("streams_cluster_inbox_depth", receiver.depth());
        metrics.put("streams_cluster_inbox_overflows_total", receiver.overflows());
        metrics.put("streams_cluster_catch_ups_total", receiver.catchUps());
        metrics.put("streams_cluster_refilled_total", receiver.refilled());
        metrics.put("streams_cluster_lost_total", receiver.lost());
        metrics.put("streams_cluster_lost_messages_total", receiver.lostMessages());
        return new HistoryStore.Status(healthy, healthy ? "ok" : "Redis unreachable: " + lastProblem, metrics);
    }

    @Override
    public void close() {
        receiver.close();
        batcher.close();
        pubSub.close();
        commands.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    /** Follows both connections, for {@link #status()}. */
    private final class ConnectionWatch implements RedisConnectionStateListener {
        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
            set(connection, true);
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            lastProblem = "connection lost";
            set(connection, false);
        }

        @Override
        public void onRedisExceptionCaught(RedisChannelHandler<?, ?> connection, Throwable cause) {
            lastProblem = String.valueOf(cause.getMessage());
        }

        private void set(RedisChannelHandler<?, ?> connection, boolean up) {
            if (connection == pubSub) {
                pubSubUp = up;
            } else if (connection == commands) {
                commandsUp = up;
            }
        }
    }

    /** Builds a {@link RedisClusterEngine}; every setting but the Redis address has a default. */
    public static final class Builder {
        private final String uri;
        private String nodeName = UUID.randomUUID().toString().substring(0, 8);
        private String keyPrefix = "streams";
        private int recoveryEvents = 10_000;
        private long maxRecoveryBytesPerProject = 64L << 20;
        private int logMessages = 100_000;
        private Duration keyLifetime = Duration.ofDays(7);
        private Duration idempotencyWindow = dev.streams.core.Idempotency.DEFAULT.window();
        private Duration timeout = Duration.ofSeconds(5);
        private Duration maxReconnectDelay = Duration.ofSeconds(1);
        private int maxBatch = 512;
        private int maxQueuedPublishes = 100_000;
        private int maxCallsInFlight = 8;
        private int inboxCapacity = 100_000;

        private Builder(String uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /** This node's name, for Redis's client list and the logs (default: a unique 8-character name). */
        public Builder nodeName(String name) {
            if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("node name must be 1 to 64 of [A-Za-z0-9._-]");
            }
            this.nodeName = name;
            return this;
        }

        /** Prefix of every Redis key and channel, so several clusters can share one Redis (default "streams"). */
        public Builder keyPrefix(String prefix) {
            if (prefix == null || !prefix.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("key prefix must be 1 to 64 of [A-Za-z0-9._-]");
            }
            this.keyPrefix = prefix;
            return this;
        }

        /**
         * How many of each topic's newest events Redis keeps for nodes and clients to recover from. Default
         * 10,000; see also {@link #maxRecoveryBytesPerProject}.
         */
        public Builder recoveryEvents(int events) {
            this.recoveryEvents = positive(events, "recoveryEvents");
            return this;
        }

        /**
         * Bytes of event bodies one project's recovery streams hold in Redis, in all (default 64 MiB): past it, the
         * project's largest stream gives up its oldest events, so one tenant cannot fill Redis's memory. Events
         * trimmed this way are reported to resuming clients as a gap, as any trimmed history is.
         */
        public Builder maxRecoveryBytesPerProject(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxRecoveryBytesPerProject must be at least 1");
            }
            this.maxRecoveryBytesPerProject = bytes;
            return this;
        }

        /**
         * How many of the cluster's newest published messages (batches of events) Redis keeps, so that a node
         * that missed some (disconnected, or too slow) reads them back, whatever topics they were about
         * (about; trimmed in whole nodes). Default 100,000.
         */
        public Builder logMessages(int messages) {
            this.logMessages = positive(messages, "logMessages");
            return this;
        }

        /**
         * How long Redis remembers a publish's idempotency key, deciding repeats for every node alike (default ten
         * minutes, as the broker's {@link dev.streams.core.Idempotency#DEFAULT}; give it the brokers' window).
         */
        public Builder idempotencyWindow(Duration window) {
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("idempotencyWindow must be positive");
            }
            this.idempotencyWindow = window;
            return this;
        }

        /**
         * How long a topic's keys live in Redis after its last publish (default 7 days); a topic quiet for
         * longer starts a new epoch, which resuming clients are told of. Zero keeps them forever.
         */
        public Builder keyLifetime(Duration lifetime) {
            if (lifetime.isNegative()) {
                throw new IllegalArgumentException("keyLifetime must not be negative");
            }
            this.keyLifetime = lifetime;
            return this;
        }

        /** How long a call to Redis may take before it fails (default 5 s). */
        public Builder timeout(Duration timeout) {
            if (timeout.toMillis() < 1) {
                throw new IllegalArgumentException("timeout must be at least 1 ms");
            }
            this.timeout = timeout;
            return this;
        }

        /** The longest wait between reconnect attempts after Redis went away (default 1 s). */
        public Builder maxReconnectDelay(Duration delay) {
            if (delay.toMillis() < 50) {
                throw new IllegalArgumentException("maxReconnectDelay must be at least 50 ms");
            }
            this.maxReconnectDelay = delay;
            return this;
        }

        /** The most events one script call positions (default 512). */
        public Builder maxBatch(int events) {
            this.maxBatch = positive(events, "maxBatch");
            return this;
        }

        /** Publishes that may wait for Redis before more are refused with UNAVAILABLE (default 100,000). */
        public Builder maxQueuedPublishes(int publishes) {
            this.maxQueuedPublishes = positive(publishes, "maxQueuedPublishes");
            return this;
        }

        /** Script calls that may wait for Redis at once; more publishes meanwhile batch up (default 8). */
        public Builder maxCallsInFlight(int calls) {
            this.maxCallsInFlight = positive(calls, "maxCallsInFlight");
            return this;
        }

        /**
         * Received messages (batches) that may wait to be applied; beyond it they are dropped and refilled from
         * the recovery streams once the node caught up (default 100,000).
         */
        public Builder inboxCapacity(int messages) {
            this.inboxCapacity = positive(messages, "inboxCapacity");
            return this;
        }

        /** Connects to Redis (failing with UNAVAILABLE when it cannot); the broker starts the engine. */
        public RedisClusterEngine build() {
            return new RedisClusterEngine(this);
        }

        private static int positive(int value, String name) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1");
            }
            return value;
        }
    }
}
