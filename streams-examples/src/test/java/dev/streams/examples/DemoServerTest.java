package dev.streams.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import dev.streams.auth.MasterKeyFile;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.google.gson.JsonParser;
import dev.streams.core.Await;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo server as a person meets it: printed instructions, the dashboard, its token, live readings. */
class DemoServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesTheDashboardAndATokenThatReadsLiveDeviceData(@TempDir Path dataDir) throws Exception {
        try (DemoServer demo = DemoServer.start(new DemoOptions("127.0.0.1", 0, "demo", null, 2, 20, dataDir))) {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            demo.printWelcome(new PrintStream(printed, true, StandardCharsets.UTF_8));
            String welcome = printed.toString(StandardCharsets.UTF_8);
            String base = "http://127.0.0.1:" + demo.port();
            assertThat(welcome).contains(base + "/").contains(demo.apiKey()).contains("curl -s " + base + "/v1/streams/Publish")
                    .contains("ws://127.0.0.1:" + demo.port() + "/v1/ws/projects/demo/stream");

            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
            assertThat(page.body()).contains("app.js").doesNotContain(demo.apiKey());
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/app.js")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).contains("/demo/token").doesNotContain(demo.apiKey());
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/../pom.xml")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);

            JsonObject grant = JsonParser.parseString(http.send(HttpRequest.newBuilder(URI.create(base + "/demo/token")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).getAsJsonObject();
            String token = grant.get("token").getAsString();
            assertThat(token).doesNotContain(demo.apiKey());

            List<String> frames = new CopyOnWriteArrayList<>();
            WebSocket ws = http.newWebSocketBuilder().buildAsync(
                    URI.create("ws://127.0.0.1:" + demo.port() + "/v1/ws/projects/demo/stream?jwt=" + token),
                    new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                            frames.add(data.toString());
                            socket.request(1);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            Await.until(() -> frames.size() >= 4, () -> "four device readings, got " + frames);
            JsonObject data = JsonParser.parseString(frames.get(0)).getAsJsonObject().getAsJsonObject("result")
                    .getAsJsonObject("data");
            assertThat(demo.deviceIds()).contains(data.get("deviceId").getAsString());
            assertThat(data.getAsJsonObject("data").has("temp")).isTrue();
            ws.abort();

            // The dashboard's token only reads device streams: publishing with it is refused.
            HttpResponse<String> publish = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/streams/Publish"))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"topic\":\"t\",\"message\":\"x\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(publish.statusCode()).isEqualTo(403);

            // The console's topic view asks for a token of one pattern: it reads that pattern and nothing else.
            String events = JsonParser.parseString(http.send(HttpRequest.newBuilder(URI.create(base
                    + "/demo/token?pattern=events")).build(), HttpResponse.BodyHandlers.ofString()).body())
                    .getAsJsonObject().get("token").getAsString();
            HttpResponse<String> otherTopics = http.send(HttpRequest.newBuilder(URI.create(base
                    + "/v1/projects/demo/stream?interval=1h")).header("Authorization", "Bearer " + events).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(otherTopics.body()).as("device history through an events-only token").doesNotContain("temp");
            HttpResponse<String> invalid = http.send(HttpRequest.newBuilder(URI.create(base
                    + "/demo/token?pattern=bad..pattern")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(invalid.statusCode()).isEqualTo(400);
            assertThat(invalid.body()).contains("\"code\":400");
        }
    }

    @Test
    void aKeyFromAnEarlierRunStillSignsGoliothJwtsAfterARestart(@TempDir Path dataDir) throws Exception {
        String key;
        try (DemoServer first = DemoServer.start(DemoOptions.parse("--port", "0", "--devices", "0",
                "--data-dir", dataDir.toString()))) {
            key = first.apiKey();
        }
        assertThat(Files.getPosixFilePermissions(dataDir.resolve(MasterKeyFile.NAME)))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.readString(dataDir.resolve(MasterKeyFile.KEY_STORE_NAME))).doesNotContain(key.substring(21));
        try (DemoServer second = DemoServer.start(DemoOptions.parse("--port", "0", "--devices", "0",
                "--api-key", key, "--data-dir", dataDir.toString()))) {
            // How a device makes a Golioth JWT: iss = the key id, HS256 with the key's secret part.
            String id = key.substring(4, 20);
            String secret = key.substring(21);
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                    new JWTClaimsSet.Builder().issuer(id).issueTime(new Date())
                            .expirationTime(new Date(System.currentTimeMillis() + 60_000)).build());
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            String base = "http://127.0.0.1:" + second.port();
            HttpResponse<String> ingest = http.send(HttpRequest.newBuilder(URI.create(base
                            + "/v1/projects/demo/devices/d1/ingest"))
                    .header("Authorization", "Bearer " + jwt.serialize())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"temp\":1}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ingest.statusCode()).as(ingest.body()).isEqualTo(200);
        }
    }

    @Test
    void unknownPathsNeverReachTheClassLoaderNorGrowTheHeap(@TempDir Path dataDir) throws Exception {
        try (DemoServer demo = DemoServer.start(DemoOptions.parse("--port", "0", "--devices", "0",
                "--data-dir", dataDir.toString()))) {
            String base = "http://127.0.0.1:" + demo.port();
            int files = demo.staticFilesCached();
            long folder;
            try (var walk = Files.walk(Path.of("src", "main", "resources", "dashboard"))) {
                folder = walk.filter(Files::isRegularFile).count();
            }
            assertThat(files).as("the dashboard folder's files and favicon.ico").isEqualTo(folder + 1);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            HttpResponse<byte[]> icon = http.send(HttpRequest.newBuilder(URI.create(base + "/favicon.ico")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(icon.statusCode()).isEqualTo(200);
            assertThat(icon.headers().firstValue("content-type").orElse("")).startsWith("image/svg+xml");

            java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
            System.gc();
            long before = memory.getHeapMemoryUsage().getUsed();
            // 5,000 distinct names of 3.5 KB: about 35 MB of strings if anything kept them.
            String filler = "x".repeat(3_500);
            for (int i = 0; i < 5_000; i++) {
                HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(base + "/missing-" + i
                        + "-" + filler)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(missing.statusCode()).isEqualTo(404);
                assertThat(missing.body()).contains("\"code\":404");
            }
            System.gc();
            long after = memory.getHeapMemoryUsage().getUsed();
            assertThat(demo.staticFilesCached()).isEqualTo(files);
            assertThat(after - before).as("heap growth after 5,000 unknown names").isLessThan(12L << 20);
        }
    }

    @Test
    void theTokenEndpointAnswersOnlyGet(@TempDir Path dataDir) throws Exception {
        try (DemoServer demo = DemoServer.start(DemoOptions.parse("--port", "0", "--devices", "0",
                "--data-dir", dataDir.toString()))) {
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demo.port()
                    + "/demo/token")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.body()).doesNotContain("token\"");
        }
    }

    @Test
    void reusesAGivenKeyAndRejectsBadOptions(@TempDir Path dataDir) {
        String key = "stk_0123456789abcdef_aVeryLongDemoSecretValue";
        try (DemoServer demo = DemoServer.start(DemoOptions.parse("--port", "0", "--api-key", key, "--devices", "0",
                "--data-dir", dataDir.toString()))) {
            assertThat(demo.apiKey()).isEqualTo(key);
            assertThat(demo.deviceIds()).isEmpty();
        }
        assertThat(DemoOptions.parse()).isEqualTo(DemoOptions.defaults());
        assertThat(DemoOptions.defaults().port()).isEqualTo(8080);
        assertThatThrownBy(() -> DemoOptions.parse("--port")).hasMessageContainingAll("--port", "Usage:");
        assertThatThrownBy(() -> DemoOptions.parse("--port", "eighty")).hasMessageContaining("eighty");
        assertThatThrownBy(() -> DemoOptions.parse("--rate", "0")).hasMessageContaining("Usage:");
        assertThatThrownBy(() -> DemoOptions.parse("--colour", "blue")).hasMessageContaining("Unknown option");
        assertThat(DemoOptions.parse("--in-memory", "--port", "0").inMemory()).isTrue();
        assertThatThrownBy(() -> DemoOptions.parse("--node-name", "a")).hasMessageContaining("give --redis too");
        assertThat(DemoOptions.parse("--redis", "redis://127.0.0.1:6379").redis()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(DemoOptions.parse("--write-coalescing-ms", "0.5").writeCoalescing()).isEqualTo(Duration.ofNanos(500_000));
        assertThat(DemoOptions.parse().writeCoalescing()).isZero();
        assertThatThrownBy(() -> DemoOptions.parse("--write-coalescing-ms", "1001")).hasMessageContaining("0-1000");
        assertThatThrownBy(() -> DemoOptions.parse("--write-coalescing-ms", "-1")).hasMessageContaining("0-1000");
    }

    @Test
    void theCommandLineAnswersHelpAndBadKeysInOneLine(@TempDir Path dataDir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process help = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), DemoServer.class.getName(),
                "--help").redirectErrorStream(true).start();
        String usage = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(help.waitFor()).isZero();
        assertThat(usage).contains("Usage: streams-demo", "--data-dir", "--in-memory", "--api-key");
        Process bad = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), DemoServer.class.getName(),
                "--api-key", "bars-key-0123", "--port", "0", "--data-dir", dataDir.toString()).start();
        String error = new String(bad.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(bad.waitFor()).isEqualTo(2);
        assertThat(error).startsWith("cannot start: an API key looks like").doesNotContain("Exception").doesNotContain("\n\tat ");
        Process noRedis = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), DemoServer.class.getName(),
                "--redis", "redis://127.0.0.1:1", "--port", "0", "--data-dir", dataDir.toString()).start();
        String redisError = new String(noRedis.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(noRedis.waitFor()).isEqualTo(2);
        assertThat(redisError).startsWith("cannot start: cannot reach Redis at redis://127.0.0.1:1")
                .doesNotContain("\n\tat ");
    }
}
