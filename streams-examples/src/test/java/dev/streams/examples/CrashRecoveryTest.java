package dev.streams.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.streams.core.Await;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo server as a separate process, killed with SIGKILL in the middle of a stream of readings, then
 * started again on the same data directory: a client that resumes from the last cursor it saw is told of the
 * possible loss (EPOCH_CHANGED) before anything else, then gets the stored readings after its cursor; it never
 * gets an offset it already saw for another reading, and never a reading twice.
 */
class CrashRecoveryTest {
    private static final String KEY = "stk_fedcba9876543210_crashTestDemoSecretValue";
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    private Process startDemo(int port) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), DemoServer.class.getName(),
                "--port", Integer.toString(port), "--devices", "0", "--api-key", KEY, "--data-dir", dataDir.toString())
                .redirectErrorStream(true).redirectOutput(dataDir.resolve("demo.log").toFile()).start();
    }

    private void awaitUp(int port) {
        Await.until(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200, java.time.Duration.ofSeconds(30), () -> "demo up");
    }

    private int ingest(int port, int n) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/v1/projects/demo/devices/d1/ingest")).header("x-api-key", KEY)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"n\":" + n + "}")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    @Test
    void aResumeAfterKillMinus9IsToldOfAnyLossAndNeverSeesAnOffsetReused() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Process first = startDemo(port);
        List<int[]> seen = new ArrayList<>();
        String lastCursor;
        long epochBefore;
        try {
            awaitUp(port);
            try (Frames stream = new Frames(http, "ws://127.0.0.1:" + port + "/v1/ws/native?x-api-key=" + KEY)) {
                stream.next();
                stream.send("{\"type\":\"subscribe\",\"id\":\"1\",\"topic\":\"devices.d1.stream\"}");
                stream.next();
                AtomicBoolean publishing = new AtomicBoolean(true);
                Thread publisher = new Thread(() -> {
                    for (int n = 1; publishing.get() && ingest(port, n) == 200; n++) {
                        // as fast as the server answers, until it dies
                    }
                });
                publisher.start();
                JsonObject event = null;
                while (seen.size() < 300) {
                    event = stream.next();
                    String[] cursor = event.get("cursor").getAsString().split("-");
                    seen.add(new int[] {Integer.parseInt(cursor[1]), event.getAsJsonObject("data").get("n").getAsInt()});
                }
                lastCursor = event.get("cursor").getAsString();
                epochBefore = Long.parseLong(lastCursor.split("-")[0]);
                first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                publishing.set(false);
                publisher.join(10_000);
            }
        } finally {
            first.destroyForcibly();
        }
        Process second = startDemo(port);
        try {
            awaitUp(port);
            try (Frames stream = new Frames(http, "ws://127.0.0.1:" + port + "/v1/ws/native?x-api-key=" + KEY)) {
                stream.next();
                stream.send("{\"type\":\"subscribe\",\"id\":\"1\",\"topic\":\"devices.d1.stream\",\"resume\":"
                        + "{\"devices.d1.stream\":\"" + lastCursor + "\"}}");
                assertThat(stream.next().get("type").getAsString()).isEqualTo("ack");
                assertThat(ingest(port, -1)).isEqualTo(200);
                int lastN = seen.get(seen.size() - 1)[1];
                int lastOffset = seen.get(seen.size() - 1)[0];
                boolean toldOfLoss = false;
                List<Integer> after = new ArrayList<>();
                while (true) {
                    JsonObject frame = stream.next();
                    if (frame.get("type").getAsString().equals("gap")) {
                        assertThat(after).as("the gap comes before any event").isEmpty();
                        assertThat(frame.get("cause").getAsString()).isEqualTo("EPOCH_CHANGED");
                        toldOfLoss = true;
                        continue;
                    }
                    String[] cursor = frame.get("cursor").getAsString().split("-");
                    int n = frame.getAsJsonObject("data").get("n").getAsInt();
                    if (Long.parseLong(cursor[0]) == epochBefore) {
                        // Stored events of the old epoch after the cursor: new offsets, new readings.
                        assertThat(Integer.parseInt(cursor[1])).isGreaterThan(lastOffset);
                    }
                    if (n == -1) {
                        break;
                    }
                    after.add(n);
                }
                assertThat(after).as("no reading twice").doesNotHaveDuplicates().allMatch(n -> n > lastN);
                assertThat(after).isSorted();
                // The store cannot know what the crash lost, so it always says so after one.
                assertThat(toldOfLoss).as("EPOCH_CHANGED after the crash").isTrue();
            }
        } finally {
            second.destroy();
            second.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
