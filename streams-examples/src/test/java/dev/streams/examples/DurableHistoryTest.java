package dev.streams.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.streams.core.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's durable history as clients meet it: readings published, the server restarted on the same data
 * directory, and every dialect resuming from a cursor it was given before the restart.
 */
class DurableHistoryTest {
    private static final String KEY = "stk_0123456789abcdef_durableDemoSecretValue";
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    private DemoServer start() {
        return DemoServer.start(DemoOptions.parse("--port", "0", "--devices", "0", "--api-key", KEY,
                "--data-dir", dataDir.toString()));
    }

    private void ingest(DemoServer demo, int n) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demo.port()
                        + "/v1/projects/demo/devices/d1/ingest")).header("x-api-key", KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"n\":" + n + "}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** Waits until the server counts a subscription of the dialect (clients subscribe asynchronously). */
    static void awaitSubscribed(HttpClient http, int port, String dialect) {
        String line = "streams_subscriptions{dialect=\"" + dialect + "\"} ";
        Await.until(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body().lines()
                .anyMatch(l -> l.startsWith(line) && !l.equals(line + "0")), "a " + dialect + " subscription");
    }

    private static int goliothN(JsonObject frame) {
        return frame.getAsJsonObject("result").getAsJsonObject("data").getAsJsonObject("data").get("n").getAsInt();
    }

    @Test
    void everyDialectResumesAcrossACleanRestartWithNoGapAndNoDuplicate() throws Exception {
        String cursor;
        try (DemoServer demo = start()) {
            String ws = "ws://127.0.0.1:" + demo.port();
            try (Frames golioth = new Frames(http, ws + "/v1/ws/projects/demo/devices/d1/stream?x-api-key=" + KEY)) {
                awaitSubscribed(http, demo.port(), "golioth");
                for (int n = 1; n <= 5; n++) {
                    ingest(demo, n);
                }
                JsonObject third = null;
                for (int n = 1; n <= 5; n++) {
                    JsonObject frame = golioth.next();
                    assertThat(goliothN(frame)).isEqualTo(n);
                    if (n == 3) {
                        third = frame;
                    }
                }
                cursor = third.get("id").getAsString();
            }
        }
        try (DemoServer demo = start()) {
            assertThat(demo.recoveredFromCrash()).isFalse();
            for (int n = 6; n <= 8; n++) {
                ingest(demo, n);
            }
            String ws = "ws://127.0.0.1:" + demo.port();
            List<Integer> golioth = new ArrayList<>();
            try (Frames g = new Frames(http, ws + "/v1/ws/projects/demo/stream?gaps=true&x-api-key=" + KEY
                    + "&resume=d1:" + cursor)) {
                for (int i = 0; i < 5; i++) {
                    JsonObject frame = g.next();
                    assertThat(frame.has("gap")).as("no gap: " + frame).isFalse();
                    golioth.add(goliothN(frame));
                }
            }
            List<Integer> m3o = new ArrayList<>();
            try (Frames m = new Frames(http, ws + "/v1/streams/Subscribe?gaps=true")) {
                m.send("{\"topic\":\"devices.d1.stream\",\"token\":\"" + KEY + "\",\"after\":\"" + cursor + "\"}");
                for (int i = 0; i < 5; i++) {
                    JsonObject frame = m.next();
                    assertThat(frame.has("gap")).as("no gap: " + frame).isFalse();
                    m3o.add(com.google.gson.JsonParser.parseString(frame.get("message").getAsString()).getAsJsonObject()
                            .get("n").getAsInt());
                }
            }
            List<Integer> nativeProtocol = new ArrayList<>();
            try (Frames n = new Frames(http, ws + "/v1/ws/native?x-api-key=" + KEY)) {
                assertThat(n.next().get("type").getAsString()).isEqualTo("welcome");
                n.send("{\"type\":\"subscribe\",\"id\":\"1\",\"topic\":\"devices.*.stream\",\"resume\":{\"devices.d1.stream\":\""
                        + cursor + "\"}}");
                while (nativeProtocol.size() < 5) {
                    JsonObject frame = n.next();
                    assertThat(frame.get("type").getAsString()).isIn("ack", "event");
                    if (frame.get("type").getAsString().equals("event")) {
                        nativeProtocol.add(frame.getAsJsonObject("data").get("n").getAsInt());
                    }
                }
            }
            assertThat(golioth).containsExactly(4, 5, 6, 7, 8);
            assertThat(m3o).containsExactly(4, 5, 6, 7, 8);
            assertThat(nativeProtocol).containsExactly(4, 5, 6, 7, 8);
        }
    }
}
