package dev.streams.benchmarks;

import dev.streams.auth.Scope;
import dev.streams.cluster.redis.RedisClusterEngine;
import dev.streams.auth.StreamsAuth;
import dev.streams.core.Broker;
import dev.streams.core.OverflowPolicy;
import dev.streams.core.ProjectLimits;
import dev.streams.core.SubscribeOptions;
import dev.streams.history.SqlHistoryStore;
import dev.streams.transport.ws.ConnectionLimits;
import dev.streams.transport.ws.StreamsServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;

/**
 * A Streams server set up for load tests: many connections allowed, long idle timeout, a queue deep enough
 * for bursts. Prints the port, the API key and its pid, then runs until killed.
 * Usage: java -cp benchmarks.jar dev.streams.benchmarks.BenchServer [port [redis-uri]]; with a Redis URI the
 * server is a node of the cluster on that Redis, and every node takes the same fixed key. The system property
 * {@code streams.eventLoops} sets the event-loop threads (several nodes sharing a small machine), and
 * {@code streams.nio=true} serves with Java NIO instead of the native epoll transport, and
 * {@code streams.durable=true} keeps history in SQLite in a fresh temporary directory, as the demo does by
 * default: the same server otherwise, so the durable default's cost is measured like for like; and
 * {@code streams.writeCoalescingMicros} sets the server's write coalescing (default 0, as a server's), and
 * {@code streams.maxWriteHoldMicros} its longest write hold (default a server's).
 */
public final class BenchServer {
    /** The one key of every bench server, so a load run can spread over the nodes of a cluster. */
    static final String CLUSTER_KEY = "stk_00000000000000be_benchmarkClusterKeySecret";

    public static void main(String[] args) throws InterruptedException, java.io.IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        // No per-project bounds: a load test is one project pushing as hard as it can.
        Broker.Builder builder = Broker.builder().projectLimits(ProjectLimits.UNLIMITED);
        if (args.length > 1) {
            builder.cluster(RedisClusterEngine.builder(args[1]).nodeName("bench-" + port).build());
        }
        if (Boolean.getBoolean("streams.durable")) {
            java.nio.file.Path dataDir = java.nio.file.Files.createTempDirectory("bench-history");
            builder.historyStore(SqlHistoryStore.sqlite(dataDir).build());
            System.out.println("history " + dataDir);
            // Runs end by a kill: each would otherwise leave its database in the temporary directory.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> TempDirs.deleteTree(dataDir)));
        }
        Broker broker = builder.build();
        StreamsAuth auth = StreamsAuth.builder().masterKey("load-test-master-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8))
                .build();
        auth.importKey("bench", "load", EnumSet.allOf(Scope.class), CLUSTER_KEY);
        String key = CLUSTER_KEY;
        StreamsServer.Builder serverBuilder = StreamsServer.builder(broker, auth).host("127.0.0.1").port(port).maxConnections(100_000).maxConnectionsPerProject(100_000)
                .connectionLimits(ConnectionLimits.builder().maxPerAddress(100_000).build())
                .idleTimeout(Duration.ofMinutes(10))
                .writeCoalescing(Duration.ofNanos(1000 * Long.getLong("streams.writeCoalescingMicros", 0)));
        Long maxWriteHoldMicros = Long.getLong("streams.maxWriteHoldMicros");
        if (maxWriteHoldMicros != null) {
            serverBuilder.maxWriteHold(Duration.ofNanos(1000 * maxWriteHoldMicros));
        }
        StreamsServer server = serverBuilder
                .nativeTransport(!Boolean.getBoolean("streams.nio"))
                .eventLoopThreads(Integer.getInteger("streams.eventLoops", Math.max(2, Runtime.getRuntime().availableProcessors())))
                .subscribeOptions(SubscribeOptions.builder().maxQueuedEvents(4096).overflowPolicy(OverflowPolicy.DROP_OLDEST).build())
                .build().start();
        System.out.println("port " + server.port());
        System.out.println("key " + key);
        System.out.println("pid " + ProcessHandle.current().pid());
        Thread.currentThread().join();
    }
}
