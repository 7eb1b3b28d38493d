package dev.streams.examples;

import static dev.streams.examples.DurableHistoryTest.awaitSubscribed;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.streams.client.ClientEvent;
import dev.streams.client.EventHandler;
import dev.streams.client.StreamsClient;
import dev.streams.cluster.redis.RedisServer;
import dev.streams.core.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three demo servers on one real Redis, as clients meet them over real sockets: a publish in any dialect on
 * any node reaches subscribers of every dialect on the other nodes, a client whose node stops resumes on
 * another with no gap and no duplicate, and Redis going away gives clear publish errors and a degraded
 * health until it returns.
 */
class ClusterEndToEndTest {
    private static final String KEY = "stk_0123456789abcdef_clusterDemoSecretValue";
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<DemoServer> nodes = new ArrayList<>();
    private RedisServer redis;

    @TempDir
    Path dataDir;

    @BeforeEach
    void startCluster() throws Exception {
        redis = new RedisServer();
        for (String name : List.of("a", "b", "c")) {
            nodes.add(DemoServer.start(DemoOptions.parse("--port", "0", "--devices", "0", "--api-key", KEY,
                    "--data-dir", dataDir.resolve(name).toString(), "--redis", redis.uri(), "--node-name", name)));
        }
    }

    @AfterEach
    void stopCluster() throws Exception {
        nodes.forEach(DemoServer::close);
        redis.close();
    }

    private String ws(int node) {
        return "ws://127.0.0.1:" + nodes.get(node).port();
    }

    private HttpResponse<String> post(int node, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nodes.get(node).port() + path))
                .header("x-api-key", KEY).header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void ingest(int node, int n) throws Exception {
        HttpResponse<String> r = post(node, "/v1/projects/demo/devices/d1/ingest", "{\"n\":" + n + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static Frames nativeClient(HttpClient http, String url) throws Exception {
        Frames client = new Frames(http, url + "/v1/ws/native?x-api-key=" + KEY);
        assertThat(client.next().get("type").getAsString()).isEqualTo("welcome");
        return client;
    }

    /** The next native event frame, skipping acks; fails on anything else. */
    private static JsonObject nextEvent(Frames client) throws Exception {
        while (true) {
            JsonObject frame = client.next();
            String type = frame.get("type").getAsString();
            if (type.equals("event")) {
                return frame;
            }
            assertThat(type).as("frame %s", frame).isEqualTo("ack");
        }
    }

    private static int goliothN(JsonObject frame) {
        return frame.getAsJsonObject("result").getAsJsonObject("data").getAsJsonObject("data").get("n").getAsInt();
    }

    @Test
    void everyDialectPublishedOnOneNodeReachesEveryDialectOnTheOthers() throws Exception {
        try (Frames golioth = new Frames(http, ws(0) + "/v1/ws/projects/demo/stream?x-api-key=" + KEY);
             Frames m3o = new Frames(http, ws(1) + "/v1/streams/Subscribe");
             Frames nativeC = nativeClient(http, ws(2))) {
            m3o.send("{\"topic\":\"chat\",\"token\":\"" + KEY + "\"}");
            nativeC.send("{\"type\":\"subscribe\",\"id\":\"1\",\"topic\":\"chat\"}");
            awaitSubscribed(http, nodes.get(0).port(), "golioth");
            awaitSubscribed(http, nodes.get(1).port(), "m3o");
            awaitSubscribed(http, nodes.get(2).port(), "native");

            // Golioth device data in on node c, out of node a's project stream (a wildcard subscription).
            for (int n = 1; n <= 3; n++) {
                ingest(2, n);
            }
            for (int n = 1; n <= 3; n++) {
                assertThat(goliothN(golioth.next())).isEqualTo(n);
            }
            // m3o Publish on node a; native publish on node b: both reach m3o on b and native on c, in one order.
            assertThat(post(0, "/v1/streams/Publish", "{\"topic\":\"chat\",\"message\":\"from m3o\"}").statusCode())
                    .isEqualTo(200);
            try (Frames nativeB = nativeClient(http, ws(1))) {
                nativeB.send("{\"type\":\"publish\",\"id\":\"p\",\"topic\":\"chat\",\"text\":\"from native\"}");
                JsonObject ack = nativeB.next();
                assertThat(ack.get("type").getAsString()).as(ack.toString()).isEqualTo("ack");
                assertThat(ack.get("cursor").getAsString()).endsWith("-2");
            }
            assertThat(m3o.next().get("message").getAsString()).isEqualTo("from m3o");
            assertThat(m3o.next().get("message").getAsString()).isEqualTo("from native");
            JsonObject first = nextEvent(nativeC);
            JsonObject second = nextEvent(nativeC);
            assertThat(first.get("text").getAsString()).isEqualTo("from m3o");
            assertThat(second.get("text").getAsString()).isEqualTo("from native");
            assertThat(first.get("cursor").getAsString()).endsWith("-1");
        }
    }

    @Test
    void aClientWhoseNodeStopsResumesOnAnotherWithNoGapAndNoDuplicate() throws Exception {
        String cursor;
        try (Frames onB = nativeClient(http, ws(1))) {
            onB.send("{\"type\":\"subscribe\",\"id\":\"1\",\"topic\":\"devices.*.stream\"}");
            awaitSubscribed(http, nodes.get(1).port(), "native");
            for (int n = 1; n <= 5; n++) {
                ingest(0, n);
            }
            JsonObject third = null;
            for (int n = 1; n <= 5; n++) {
                JsonObject event = nextEvent(onB);
                assertThat(event.getAsJsonObject("data").get("n").getAsInt()).isEqualTo(n);
                if (n == 3) {
                    third = event;
                }
            }
            cursor = third.get("cursor").getAsString();
            nodes.get(1).close();
        }
        for (int n = 6; n <= 8; n++) {
            ingest(0, n);
        }
        List<Integer> resumed = new ArrayList<>();
        try (Frames onC = nativeClient(http, ws(2))) {
            onC.send("{\"type\":\"subscribe\",\"id\":\"1\",\"topic\":\"devices.*.stream\",\"resume\":{\"devices.d1.stream\":\""
                    + cursor + "\"}}");
            while (resumed.size() < 5) {
                resumed.add(nextEvent(onC).getAsJsonObject("data").get("n").getAsInt());
            }
            ingest(0, 9);
            resumed.add(nextEvent(onC).getAsJsonObject("data").get("n").getAsInt());
        }
        assertThat(resumed).containsExactly(4, 5, 6, 7, 8, 9);
        List<Integer> golioth = new ArrayList<>();
        try (Frames g = new Frames(http, ws(2) + "/v1/ws/projects/demo/stream?gaps=true&x-api-key=" + KEY
                + "&resume=d1:" + cursor)) {
            for (int i = 0; i < 6; i++) {
                JsonObject frame = g.next();
                assertThat(frame.has("gap")).as("no gap: " + frame).isFalse();
                golioth.add(goliothN(frame));
            }
        }
        assertThat(golioth).containsExactly(4, 5, 6, 7, 8, 9);
    }

    @Test
    void redisAwayMeansClearPublishErrorsAndDegradedHealthUntilItReturns() throws Exception {
        try (Frames live = nativeClient(http, ws(1))) {
            live.send("{\"type\":\"subscribe\",\"id\":\"1\",\"topic\":\"chat\"}");
            awaitSubscribed(http, nodes.get(1).port(), "native");
            assertThat(post(0, "/v1/streams/Publish", "{\"topic\":\"chat\",\"message\":\"before\"}").statusCode())
                    .isEqualTo(200);
            assertThat(nextEvent(live).get("text").getAsString()).isEqualTo("before");

            redis.stop();
            awaitHealth(0, "degraded");
            HttpResponse<String> refused = post(0, "/v1/streams/Publish", "{\"topic\":\"chat\",\"message\":\"lost?\"}");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(JsonParser.parseString(refused.body()).getAsJsonObject().get("detail").getAsString())
                    .contains("Redis");
            assertThat(post(2, "/v1/projects/demo/devices/d1/ingest", "{\"n\":1}").statusCode()).isEqualTo(503);
            // Anyone may ask for health: it names the part, never its error text.
            assertThat(get(0, "/healthz")).isEqualTo("{\"status\":\"degraded\",\"cluster\":\"unavailable\"}");
            // A topic this node does not hold cannot be opened without Redis: a clear error, off the event loop.
            live.send("{\"type\":\"subscribe\",\"id\":\"2\",\"topic\":\"fresh\"}");
            JsonObject refusedSubscribe = live.next();
            assertThat(refusedSubscribe.get("type").getAsString()).as(refusedSubscribe.toString()).isEqualTo("error");
            assertThat(refusedSubscribe.get("code").getAsString()).isEqualTo("UNAVAILABLE");

            redis.start();
            awaitHealth(0, "ok");
            awaitHealth(1, "ok");
            Await.until(() -> post(0, "/v1/streams/Publish", "{\"topic\":\"chat\",\"message\":\"after\"}")
                    .statusCode() == 200, "publishes accepted again");
            // Redis came back empty: the topic starts a new epoch, which the live subscriber is told of.
            JsonObject gap = live.next();
            assertThat(gap.get("type").getAsString()).as(gap.toString()).isEqualTo("gap");
            assertThat(gap.get("cause").getAsString()).isEqualTo("EPOCH_CHANGED");
            JsonObject after = nextEvent(live);
            assertThat(after.get("text").getAsString()).isEqualTo("after");
            assertThat(after.get("cursor").getAsString()).endsWith("-1");
        }
    }

    @Test
    void theJavaClientFailsOverToAnotherNodeAndResumes() throws Exception {
        List<Integer> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> gaps = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (StreamsClient client = StreamsClient.builder(URI.create(ws(0) + "/v1/ws/native"))
                .alternates(URI.create(ws(1) + "/v1/ws/native"))
                .credential(() -> KEY).reconnectBackoff(java.time.Duration.ofMillis(50), java.time.Duration.ofMillis(200))
                .build().connect()) {
            client.subscribe("devices.*.stream", new EventHandler() {
                @Override
                public void onEvent(ClientEvent event) {
                    seen.add(JsonParser.parseString(event.body()).getAsJsonObject().get("n").getAsInt());
                }

                @Override
                public void onGap(String topic, long missed, String cause) {
                    gaps.add(topic + " " + missed + " " + cause);
                }
            });
            awaitSubscribed(http, nodes.get(0).port(), "native");
            for (int n = 1; n <= 5; n++) {
                ingest(2, n);
            }
            awaitCount(seen, 5);
            nodes.get(0).close();
            for (int n = 6; n <= 10; n++) {
                ingest(2, n);
            }
            awaitCount(seen, 10);
        }
        assertThat(seen).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(gaps).isEmpty();
    }

    private static void awaitCount(List<Integer> seen, int count) {
        Await.until(() -> seen.size() >= count, () -> count + " events, got " + seen);
    }

    @Test
    void aHistoryQueryAnswersTheSameOnEveryNode() throws Exception {
        for (int n = 1; n <= 5; n++) {
            ingest(n % 3, n);
        }
        // Each node stores what it applies in its own SQLite file (its writer commits in the background).
        String path = "/v1/projects/demo/devices/d1/stream?interval=1h&perPage=10&x-api-key=" + KEY;
        long deadline = System.nanoTime() + 20_000_000_000L;
        List<String> answers;
        do {
            assertThat(System.nanoTime()).as("every node stored all five").isLessThan(deadline);
            Thread.sleep(20);
            answers = List.of(get(0, path), get(1, path), get(2, path));
        } while (answers.stream().anyMatch(a -> JsonParser.parseString(a).getAsJsonObject().getAsJsonArray("list").size() != 5));
        assertThat(answers.get(1)).isEqualTo(answers.get(0));
        assertThat(answers.get(2)).isEqualTo(answers.get(0));
    }

    private String get(int node, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nodes.get(node).port() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private void awaitHealth(int node, String status) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!get(node, "/healthz").contains("\"status\":\"" + status + "\"")) {
            assertThat(System.nanoTime()).as("node %d %s", node, status).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
