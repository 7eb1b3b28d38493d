package dev.streams.benchmarks;

import dev.streams.devices.DeviceIngestor;
import dev.streams.core.Broker;
import dev.streams.core.CloseReason;
import dev.streams.core.Event;
import dev.streams.core.Gap;
import dev.streams.core.ProjectLimits;
import dev.streams.core.StartPosition;
import dev.streams.core.StreamsException;
import dev.streams.core.SubscribeOptions;
import dev.streams.core.SubscriptionListener;
import dev.streams.history.SqlHistoryStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sustained ingest of 128-byte device readings into a broker with live subscribers, with the SQLite store and
 * without it (same run), reporting published, stored and delivered per second and publishes the store refused
 * (its queue full: the publisher backs off and retries, as a client would on 503).
 * Usage: java -cp benchmarks.jar dev.streams.benchmarks.IngestBenchmark [seconds] [publishers] [subscribers]
 */
public final class IngestBenchmark {
    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int publishers = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int subscribers = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        System.out.printf("ingest: %d s, %d publisher threads, %d live subscribers of devices.*.stream, 100 devices,"
                + " 128-byte readings%n", seconds, publishers, subscribers);
        run("in-memory", null, seconds, publishers, subscribers);
        Path dir = Files.createTempDirectory("streams-ingest");
        int batch = Integer.getInteger("batch", 20_000);
        try (SqlHistoryStore store = SqlHistoryStore.sqlite(dir).maxBatch(batch).build()) {
            run("sqlite", store, seconds, publishers, subscribers);
        } finally {
            TempDirs.deleteTree(dir);
        }
    }

    private static void run(String name, SqlHistoryStore store, int seconds, int publishers, int subscribers)
            throws Exception {
        Broker.Builder builder = Broker.builder().projectLimits(ProjectLimits.UNLIMITED);
        if (store != null) {
            builder.historyStore(store);
        }
        Broker broker = builder.build();
        LongAdder delivered = new LongAdder();
        SubscribeOptions options = SubscribeOptions.builder().maxQueuedEvents(100_000).build();
        for (int i = 0; i < subscribers; i++) {
            broker.subscribe("bench", "devices.*.stream", StartPosition.latest(), options, new SubscriptionListener() {
                @Override
                public void onEvent(Event event) {
                    delivered.increment();
                }

                @Override
                public void onGap(Gap gap) {
                }

                @Override
                public void onClose(CloseReason reason) {
                }
            });
        }
        byte[] reading = String.format("{\"temp\":21.53,\"humidity\":48.20,\"pressure\":1013.25,\"battery\":3.71,%s}",
                "\"pad\":\"" + "x".repeat(50) + "\"").getBytes(StandardCharsets.UTF_8);
        LongAdder published = new LongAdder();
        LongAdder refused = new LongAdder();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < publishers; t++) {
            int offset = t;
            Thread thread = new Thread(() -> {
                int device = offset;
                while (System.nanoTime() < end) {
                    try {
                        broker.publish("bench", "devices.d" + (device % 100) + ".stream", "application/json", reading,
                                Map.of(DeviceIngestor.DEVICE_ID, "d" + (device % 100)));
                        published.increment();
                        device++;
                    } catch (StreamsException full) {
                        refused.increment();
                        java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        long storedBefore = stored(store);
        long start = System.nanoTime();
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long storedDuring = stored(store) - storedBefore;
        System.out.printf("%-9s published %,.0f/s  stored %,.0f/s  delivered %,.0f/s  refused %,d  (reading %d bytes)%n",
                name, published.sum() / elapsed, store == null ? 0.0 : storedDuring / elapsed,
                delivered.sum() / elapsed, refused.sum(), reading.length);
        broker.close();
    }

    private static long stored(SqlHistoryStore store) {
        return store == null ? 0 : store.status().metrics().get("streams_history_stored_total").longValue();
    }
}
