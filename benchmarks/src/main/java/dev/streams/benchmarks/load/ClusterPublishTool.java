package dev.streams.benchmarks.load;

import dev.streams.cluster.redis.RedisClusterEngine;
import dev.streams.core.Broker;
import dev.streams.core.Event;
import dev.streams.core.ProjectLimits;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Publishes per second through Redis: one in-process cluster node publishing as fast as Redis accepts, with
 * at most {@code window} publishes unacknowledged, from {@code threads} threads, to {@code topics} topics
 * of one project. Reports accepted (acknowledged) publishes per second and what the engine batched.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.streams.benchmarks.load.ClusterPublishTool \
 *     redis://127.0.0.1:6379 [seconds=10] [threads=2] [window=4096] [size=128] [topics=16]
 * </pre>
 */
public final class ClusterPublishTool {
    private ClusterPublishTool() {
    }

    public static void main(String[] args) throws Exception {
        String redis = args[0];
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int window = args.length > 3 ? Integer.parseInt(args[3]) : 4096;
        int size = args.length > 4 ? Integer.parseInt(args[4]) : 128;
        int topics = args.length > 5 ? Integer.parseInt(args[5]) : 16;
        byte[] payload = new byte[size];
        try (Broker node = Broker.builder().projectLimits(ProjectLimits.UNLIMITED)
                .cluster(RedisClusterEngine.builder(redis).nodeName("publish-tool").build()).build()) {
            run(node, 3, threads, window, payload, topics);
            LongAdder accepted = run(node, seconds, threads, window, payload, topics);
            Map<String, Number> metrics = node.clusterStatus().metrics();
            System.out.printf(Locale.ROOT, "%,.0f accepted publishes/s through Redis (%d threads, window %d, %d B,"
                            + " %d topics); %,d script calls in all, %.1f events per call%n",
                    accepted.sum() / (double) seconds, threads, window, size, topics,
                    metrics.get("streams_cluster_publish_calls_total").longValue(),
                    metrics.get("streams_cluster_published_total").doubleValue()
                            / metrics.get("streams_cluster_publish_calls_total").doubleValue());
        }
        System.exit(0);
    }

    private static LongAdder run(Broker node, int seconds, int threads, int window, byte[] payload, int topics)
            throws InterruptedException {
        LongAdder accepted = new LongAdder();
        Semaphore inFlight = new Semaphore(window);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Thread[] publishers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int thread = t;
            publishers[t] = new Thread(() -> {
                long i = thread;
                while (System.nanoTime() < end) {
                    inFlight.acquireUninterruptibly();
                    CompletableFuture<Event> ack = node.publishAsync("bench", "t" + (i++ % topics), "application/octet-stream",
                            payload, Map.of());
                    ack.whenComplete((e, error) -> {
                        inFlight.release();
                        if (error == null) {
                            accepted.increment();
                        }
                    });
                }
            });
            publishers[t].start();
        }
        for (Thread p : publishers) {
            p.join();
        }
        inFlight.acquireUninterruptibly(window);
        return accepted;
    }
}
