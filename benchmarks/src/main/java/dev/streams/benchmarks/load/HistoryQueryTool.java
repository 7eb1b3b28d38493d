package dev.streams.benchmarks.load;

import dev.streams.devices.DeviceIngestor;
import dev.streams.auth.Scope;
import dev.streams.auth.StreamsAuth;
import dev.streams.core.Broker;
import dev.streams.core.HistoryQuery;
import dev.streams.core.ProjectLimits;
import dev.streams.history.SqlHistoryStore;
import dev.streams.transport.ws.StreamsServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * History queries on a store filled with device readings, in one process (no timed assertion anywhere; the
 * figures go to benchmarks/README.md).
 *
 * <pre>
 * # dashboard: one device's average of one field in 1-minute buckets over its last hour, 30 times
 * java -cp benchmarks/target/benchmarks.jar dev.streams.benchmarks.load.HistoryQueryTool --mode dashboard \
 *     --devices 100 --readings 10000 [--postgres 'jdbc:postgresql://127.0.0.1:5432/db?user=u']
 * # heavy: a project's light queries over HTTP, alone and while another project sends three heavy ones
 * java -cp benchmarks/target/benchmarks.jar dev.streams.benchmarks.load.HistoryQueryTool --mode heavy \
 *     --devices 100 --readings 5000
 * </pre>
 */
public final class HistoryQueryTool {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final Options options;

    private HistoryQueryTool(Options options) {
        this.options = options;
    }


    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        HistoryQueryTool tool = new HistoryQueryTool(options);
        try (SqlHistoryStore store = tool.store()) {
            Broker broker = Broker.builder().historyStore(store).projectLimits(ProjectLimits.UNLIMITED).build();
            if (options.get("mode", "dashboard").equals("heavy")) {
                tool.heavy(store, broker);
            } else {
                tool.dashboard(store, broker);
            }
            broker.close();
        }
        System.exit(0);
    }

    private SqlHistoryStore store() throws Exception {
        String postgres = options.get("postgres", null);
        if (postgres == null) {
            return SqlHistoryStore.sqlite(Files.createTempDirectory("streams-query-tool")).queueCapacity(1_000_000).build();
        }
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setURL(postgres);
        return SqlHistoryStore.postgres(source).queueCapacity(1_000_000).build();
    }

    /** Readings of {@code devices} devices, one each every 10 s, {@code readings} per device; returns how many. */
    private static long fill(SqlHistoryStore store, Broker broker, String project, int devices, int readings,
                             long before) throws InterruptedException {
        long start = System.nanoTime();
        for (int i = 0; i < readings; i++) {
            for (int d = 0; d < devices; d++) {
                broker.publish(project, "devices.d" + d + ".stream", "application/json",
                        ("{\"temp\":" + (20 + (i % 50) / 10.0) + ",\"v\":" + i + ",\"w\":{\"x\":" + d + "}}").getBytes(),
                        Map.of(DeviceIngestor.DEVICE_ID, "d" + d, DeviceIngestor.DEVICE_TIME, T0.plusSeconds(i * 10L).toString()));
            }
            while (stat(store, "streams_history_queue_depth") > 500_000) {
                Thread.sleep(10);
            }
        }
        long total = before + (long) devices * readings;
        while (stat(store, "streams_history_stored_total") < total) {
            Thread.sleep(50);
        }
        System.out.printf(Locale.ROOT, "stored %,d readings of %s in %.1f s%n", (long) devices * readings, project,
                (System.nanoTime() - start) / 1e9);
        return total;
    }

    private static long stat(SqlHistoryStore store, String name) {
        return store.status().metrics().get(name).longValue();
    }

    private void dashboard(SqlHistoryStore store, Broker broker) throws InterruptedException {
        int readings = options.getInt("readings", 10_000);
        fill(store, broker, "dash", options.getInt("devices", 100), readings, 0);
        Instant end = T0.plusSeconds(readings * 10L);
        HistoryQuery query = new HistoryQuery("dash", List.of("devices.d7.stream"), List.of("d7"), end.minusSeconds(3600),
                end, List.of(new HistoryQuery.Field("time", null, null),
                new HistoryQuery.Field("temp", null, HistoryQuery.Aggregate.AVG)), null, Duration.ofMinutes(1), 0, 100);
        List<Double> ms = new ArrayList<>();
        for (int run = 0; run < 30; run++) {
            long start = System.nanoTime();
            int rows = store.query(query).rows().size();
            ms.add((System.nanoTime() - start) / 1e6);
            if (run == 0) {
                System.out.println("rows: " + rows);
            }
        }
        print("dashboard query", ms);
    }

    private void heavy(SqlHistoryStore store, Broker broker) throws Exception {
        long stored = fill(store, broker, "big", options.getInt("devices", 100), options.getInt("readings", 5000), 0);
        fill(store, broker, "small", 10, 100, stored);
        StreamsAuth auth = StreamsAuth.builder().masterKey(new byte[32]).build();
        String big = auth.createKey("big", "k", EnumSet.allOf(Scope.class)).key();
        String small = auth.createKey("small", "k", EnumSet.allOf(Scope.class)).key();
        try (StreamsServer server = StreamsServer.builder(broker, auth).port(0).build().start()) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port();
            String range = "\"start\":\"2026-01-01T00:00:00Z\",\"end\":\"2026-01-07T00:00:00Z\"";
            // 200 comparisons that never hold, so none short-cuts.
            StringBuilder groups = new StringBuilder();
            for (int g = 0; g < 4; g++) {
                groups.append(g == 0 ? "" : ",").append("{\"op\":\"or\",\"filters\":[");
                for (int t = 0; t < 50; t++) {
                    groups.append(t == 0 ? "" : ",").append("{\"path\":\"").append(t % 2 == 0 ? "v" : "w.x")
                            .append("\",\"op\":\">\",\"value\":").append(1_000_000_000 + t).append('}');
                }
                groups.append("]}");
            }
            String heavy = "{" + range + ",\"query\":{\"filters\":[{\"op\":\"or\",\"filters\":[" + groups + "]}]}}";
            String light = "{" + range + ",\"query\":{\"fields\":[{\"path\":\"time\"},{\"path\":\"temp\",\"agg\":\"avg\"}],"
                    + "\"timeBucket\":\"1m\"}}";
            print("light queries alone", lights(http, base, small, light));
            List<CompletableFuture<HttpResponse<String>>> heavies = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                heavies.add(http.sendAsync(post(base + "/v1/projects/big/stream", big, heavy),
                        HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
                            System.out.printf(Locale.ROOT, "heavy: %d after %.1f s %s%n", r.statusCode(),
                                    (System.nanoTime() - start) / 1e9, r.headers().firstValue("retry-after")
                                            .map(v -> "(Retry-After " + v + ")").orElse(""));
                            return r;
                        }));
            }
            print("light queries of another project while three heavy ones run", lights(http, base, small, light));
            CompletableFuture.allOf(heavies.toArray(CompletableFuture[]::new)).join();
        }
    }

    private static HttpRequest post(String url, String key, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("x-api-key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static List<Double> lights(HttpClient http, String base, String key, String body) throws Exception {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long start = System.nanoTime();
            HttpResponse<String> r = http.send(post(base + "/v1/projects/small/devices/d1/stream", key, body),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(r.statusCode() + " " + r.body());
            }
            ms.add((System.nanoTime() - start) / 1e6);
            Thread.sleep(100);
        }
        return ms;
    }

    private static void print(String what, List<Double> ms) {
        Collections.sort(ms);
        System.out.printf(Locale.ROOT, "%s: median %.1f ms, min %.1f, max %.1f (%d runs)%n", what, ms.get(ms.size() / 2),
                ms.get(0), ms.get(ms.size() - 1), ms.size());
    }
}
