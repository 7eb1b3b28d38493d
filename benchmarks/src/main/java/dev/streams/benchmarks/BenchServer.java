package dev.streams.benchmarks;

import dev.streams.auth.Scope;
import dev.streams.auth.StreamsAuth;
import dev.streams.core.Broker;
import dev.streams.core.OverflowPolicy;
import dev.streams.core.SubscribeOptions;
import dev.streams.transport.ws.StreamsServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;

/**
 * A Streams server set up for load tests: many connections allowed, long idle timeout, a queue deep enough
 * for bursts. Prints the port, the API key and its pid, then runs until killed.
 * Usage: java -cp benchmarks.jar dev.streams.benchmarks.BenchServer [port]
 */
public final class BenchServer {
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        // No per-project bounds: a load test is one project pushing as hard as it can.
        Broker broker = Broker.builder().projectLimits(dev.streams.core.ProjectLimits.UNLIMITED).build();
        StreamsAuth auth = StreamsAuth.builder().masterKey("load-test-master-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8))
                .build();
        String key = auth.createKey("bench", "load", EnumSet.allOf(Scope.class)).key();
        StreamsServer server = StreamsServer.builder(broker, auth).host("127.0.0.1").port(port).maxConnections(100_000).maxConnectionsPerProject(100_000)
                .idleTimeout(Duration.ofMinutes(10))
                .subscribeOptions(SubscribeOptions.builder().maxQueuedEvents(4096).overflowPolicy(OverflowPolicy.DROP_OLDEST).build())
                .build().start();
        System.out.println("port " + server.port());
        System.out.println("key " + key);
        System.out.println("pid " + ProcessHandle.current().pid());
        Thread.currentThread().join();
    }
}
