package dev.streams.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.streams.auth.Credentials;
import dev.streams.auth.Principal;
import dev.streams.auth.Scope;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What a hostile or careless client tried, each over a real socket: bounded, answered, nothing leaked. */
class HardeningTest extends ServerFixture {

    @Test
    void aPingFloodFromAClientThatDoesNotReadIsStoppedByBackPressure() throws Exception {
        start(b -> b.maxOutboundBytes(64 * 1024));
        long directBefore = metric("streams_netty_direct_memory_bytes");
        try (RawSocket flood = new RawSocket(server.port(), "/v1/streams/Subscribe", "", 4096)) {
            assertThat(flood.responseHead).startsWith("HTTP/1.1 101");
            byte[] ping = RawSocket.frame(0x9, true, new byte[125]);
            byte[] burst = new byte[ping.length * 1000];
            for (int i = 0; i < 1000; i++) {
                System.arraycopy(ping, 0, burst, i * ping.length, ping.length);
            }
            AtomicLong sent = new AtomicLong();
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < 1000; i++) {
                        flood.send(burst);
                        sent.addAndGet(1000);
                    }
                } catch (IOException closed) {
                    // the server dropped us: also fine
                }
            });
            writer.setDaemon(true);
            writer.start();
            // The server stops reading once its replies back up, so the client's writes stall.
            long last = -1;
            while (sent.get() != last) {
                last = sent.get();
                writer.join(1500);
            }
            assertThat(sent.get()).isLessThan(1_000_000);
            assertThat(metric("streams_netty_direct_memory_bytes") - directBefore).isLessThan(16L * 1024 * 1024);
        }
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void httpConnectionsThatDoNotCompleteARequestAreClosed() throws Exception {
        start(b -> b.requestTimeout(Duration.ofMillis(400)));
        try (RawSocket silent = RawSocket.plain(server.port(), "");
             RawSocket slowHeader = RawSocket.plain(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n");
             RawSocket unfinishedBody = RawSocket.plain(server.port(),
                     "POST /v1/streams/Publish HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + alphaKey.key()
                             + "\r\nContent-Length: 100\r\n\r\n{\"to");
             RawSocket endlessChunks = RawSocket.plain(server.port(),
                     "POST /v1/streams/Publish HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + alphaKey.key()
                             + "\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n");
             RawSocket keepAlive = RawSocket.plain(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")) {
            // Connected is not yet accepted: the server counts a connection once its event loop has set it up.
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (metric("streams_connections{dialect=\"http\"}") < 5 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(metric("streams_connections{dialect=\"http\"}")).isGreaterThanOrEqualTo(5);
            assertThat(keepAlive.readHttpHead()).startsWith("HTTP/1.1 200");
            for (int i = 0; i < 3; i++) {
                Thread.sleep(100);
                slowHeader.send("X".getBytes(StandardCharsets.US_ASCII));
            }
            assertThat(silent.isClosedByServer()).isTrue();
            // Its headers never completed, so there is no request to answer: the connection just ends.
            assertThat(slowHeader.isClosedByServer()).isTrue();
            assertThat(unfinishedBody.readHttpHead()).startsWith("HTTP/1.1 408");
            assertThat(endlessChunks.readHttpHead()).startsWith("HTTP/1.1 408");
            assertThat(keepAlive.isClosedByServer()).isTrue();
        }
        assertThat(metric("streams_request_timeouts_total")).isGreaterThanOrEqualTo(5);
    }

    @Test
    void anM3oSocketThatNeverSendsItsRequestIsClosed() throws Exception {
        start(b -> b.requestTimeout(Duration.ofMillis(300)));
        try (RawSocket idle = new RawSocket(server.port(), "/v1/streams/Subscribe", "", 65536)) {
            assertThat(idle.responseHead).startsWith("HTTP/1.1 101");
            assertThat(idle.readCloseCode()).isEqualTo(4408);
        }
    }

    @Test
    void malformedNativeRequestsAreAnsweredAndKeepTheConnection() throws Exception {
        start();
        TestClient client = connect("/v1/ws/native?x-api-key=" + alphaKey.key());
        assertThat(client.nextJson().get("type").getAsString()).isEqualTo("welcome");
        client.send("{\"type\":\"subscribe\",\"id\":\"ok\",\"topic\":\"events\"}");
        assertThat(client.nextJson().get("type").getAsString()).isEqualTo("ack");
        List<String> bad = List.of("\"since\":\"yesterday\"", "\"last\":{}", "\"last\":\"x\"", "\"last\":1e99",
                "\"last\":-1", "\"resume\":{\"a\":null}", "\"resume\":{\"a\":{\"c\":1}}", "\"resume\":{\"a\":\"x-1\"}",
                "\"resume\":[1]", "\"topic\":7");
        for (int i = 0; i < bad.size(); i++) {
            String request = "{\"type\":\"subscribe\",\"id\":\"b" + i + "\",\"topic\":\"t\"," + bad.get(i) + "}";
            request = request.replace("\"topic\":\"t\",\"topic\":7", "\"topic\":7");
            client.send(request);
            JsonObject error = client.nextJson();
            assertThat(error.get("type").getAsString()).as(request).isEqualTo("error");
            assertThat(error.get("id").getAsString()).isEqualTo("b" + i);
            assertThat(error.get("code").getAsString()).isEqualTo("BAD_REQUEST");
            assertThat(error.get("message").getAsString()).doesNotContain("For input string").doesNotContain("Exception");
        }
        client.send("{\"type\":7}");
        assertThat(client.nextJson().get("code").getAsString()).isEqualTo("BAD_REQUEST");
        broker.publish("alpha", "events", "still here".getBytes(StandardCharsets.UTF_8));
        assertThat(client.nextJson().get("type").getAsString()).isEqualTo("event");
        assertThat(client.isOpen()).isTrue();
    }

    @Test
    void aNarrowerCredentialEndsTheSubscriptionsItDoesNotAllow() throws Exception {
        start();
        TestClient client = connect("/v1/ws/native?x-api-key=" + alphaKey.key());
        client.nextJson();
        client.send("{\"type\":\"subscribe\",\"id\":\"1\",\"topic\":\">\"}");
        String everything = client.nextJson().get("sub").getAsString();
        client.send("{\"type\":\"subscribe\",\"id\":\"2\",\"topic\":\"events\"}");
        client.nextJson();
        Principal issuer = auth.authenticate(Credentials.apiKey(alphaKey.key()));
        String narrow = auth.issueToken(issuer, "alpha", List.of("events"), Duration.ofMinutes(5), Set.of(Scope.SUBSCRIBE));
        client.send("{\"type\":\"auth\",\"id\":\"3\",\"token\":\"" + narrow + "\"}");
        JsonObject ended = client.nextJson();
        assertThat(ended.get("type").getAsString()).isEqualTo("error");
        assertThat(ended.get("code").getAsString()).isEqualTo("FORBIDDEN");
        assertThat(ended.getAsJsonArray("subs").get(0).getAsString()).isEqualTo(everything);
        assertThat(client.nextJson().get("type").getAsString()).isEqualTo("ack");
        broker.publish("alpha", "secret.plans", "x".getBytes(StandardCharsets.UTF_8));
        broker.publish("alpha", "events", "y".getBytes(StandardCharsets.UTF_8));
        JsonObject event = client.nextJson();
        assertThat(event.get("topic").getAsString()).isEqualTo("events");
        client.assertQuiet();
    }

    @Test
    void aGoliothStreamEndsWhenItsCredentialExpires() throws Exception {
        start();
        Principal issuer = auth.authenticate(Credentials.apiKey(alphaKey.key()));
        String token = auth.issueToken(issuer, "alpha", List.of("devices.>"), Duration.ofSeconds(1), Set.of(Scope.SUBSCRIBE));
        TestClient client = connect("/v1/ws/projects/alpha/stream?jwt=" + token);
        JsonObject error = client.nextJson();
        assertThat(error.getAsJsonObject("error").get("code").getAsInt()).isEqualTo(16);
        assertThat(client.awaitClose().closeCode).isEqualTo(4401);
    }

    @Test
    void goliothAndM3oClientsMayAskToBeToldAboutGaps() throws Exception {
        start();
        broker.publish("alpha", "devices.d1.stream", "application/json", "{\"n\":1}".getBytes(StandardCharsets.UTF_8),
                java.util.Map.of());
        TestClient plain = connect("/v1/ws/projects/alpha/stream?x-api-key=" + alphaKey.key() + "&resume=d1:1-0");
        TestClient told = connect("/v1/ws/projects/alpha/stream?gaps=true&x-api-key=" + alphaKey.key()
                + "&resume=d1:1-0");
        JsonObject gap = told.nextJson().getAsJsonObject("gap");
        assertThat(gap.get("deviceId").getAsString()).isEqualTo("d1");
        assertThat(gap.get("cause").getAsString()).isEqualTo("EPOCH_CHANGED");
        assertThat(told.nextJson().has("result")).isTrue();
        assertThat(plain.nextJson().has("result")).isTrue();

        TestClient m3o = connect("/v1/streams/Subscribe?gaps=1");
        m3o.send("{\"topic\":\"events\",\"token\":\"" + alphaKey.key() + "\",\"after\":\"1-0\"}");
        broker.publish("alpha", "events", "z".getBytes(StandardCharsets.UTF_8));
        JsonObject m3oGap = m3o.nextJson();
        assertThat(m3oGap.get("topic").getAsString()).isEqualTo("events");
        assertThat(m3oGap.getAsJsonObject("gap").get("cause").getAsString()).isEqualTo("EPOCH_CHANGED");
        assertThat(m3o.nextJson().get("message").getAsString()).isEqualTo("z");
    }

    @Test
    void badHttpAndWebSocketInputGetsClearAnswers() throws Exception {
        start(b -> b.maxBodyBytes(1024));
        try (RawSocket noSlash = RawSocket.plain(server.port(), "GET ?a HTTP/1.1\r\nHost: x\r\n\r\n")) {
            assertThat(noSlash.readHttpHead()).startsWith("HTTP/1.1 400");
        }
        String key = "Sec-WebSocket-Key: MDEyMzQ1Njc4OWFiY2RlZg==\r\nSec-WebSocket-Version: 13\r\n";
        try (RawSocket noKey = RawSocket.plain(server.port(), "GET /v1/ws/native HTTP/1.1\r\nHost: x\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n")) {
            assertThat(noKey.readHttpHead()).startsWith("HTTP/1.1 400");
        }
        try (RawSocket noConnection = RawSocket.plain(server.port(), "GET /v1/ws/native HTTP/1.1\r\nHost: x\r\n"
                + "Upgrade: websocket\r\n" + key + "\r\n")) {
            assertThat(noConnection.readHttpHead()).startsWith("HTTP/1.1 400");
        }
        try (RawSocket badUtf8 = new RawSocket(server.port(), "/v1/ws/native?x-api-key=" + alphaKey.key(), "", 65536)) {
            badUtf8.send(RawSocket.frame(0x1, true, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}));
            assertThat(badUtf8.readCloseCode()).isEqualTo(1007);
        }
        try (RawSocket badClose = new RawSocket(server.port(), "/v1/ws/native?x-api-key=" + alphaKey.key(), "", 65536)) {
            badClose.send(RawSocket.frame(0x8, true, new byte[] {0x03, (byte) 0xE7}));
            assertThat(badClose.readCloseCode()).as("a close frame, not a dropped connection").isEqualTo(1002);
        }
        HttpResponse<String> postHealth = post("/healthz", null, "");
        assertThat(postHealth.statusCode()).isEqualTo(405);
        assertThat(post("/metrics", null, "").statusCode()).isEqualTo(405);
        HttpResponse<String> big = post("/v1/streams/Publish", alphaKey.key(), "x".repeat(2000));
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(big.body()).contains("\"id\":\"REQUEST_TOO_LARGE\"").contains("\"code\":413");
        HttpResponse<String> bigDevice = post("/v1/projects/alpha/devices/d1/ingest", alphaKey.key(), "1".repeat(2000));
        assertThat(bigDevice.statusCode()).isEqualTo(413);
        assertThat(bigDevice.body()).contains("\"code\":8").contains("\"details\":[]");
        HttpResponse<String> unknown = get("/v1/projects/alpha/nothing");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("\"code\":5").contains("\"details\":[]");
        try (RawSocket unknownKey = new RawSocket(server.port(), "/v1/streams/Subscribe",
                "Authorization: Bearer stk_0123456789abcdef_notarealsecretatall\r\n", 65536)) {
            assertThat(unknownKey.responseHead).startsWith("HTTP/1.1 401");
        }
    }

    @Test
    void oneProjectCannotTakeEveryConnection() throws Exception {
        start(b -> b.maxConnectionsPerProject(2));
        connect("/v1/ws/projects/alpha/stream?x-api-key=" + alphaKey.key());
        connect("/v1/ws/projects/alpha/stream?x-api-key=" + alphaKey.key());
        TestClient third = connect("/v1/ws/projects/alpha/stream?x-api-key=" + alphaKey.key());
        assertThat(third.nextJson().getAsJsonObject("error").get("code").getAsInt()).isEqualTo(8);
        assertThat(third.awaitClose().closeCode).isEqualTo(4429);
        TestClient other = connect("/v1/ws/native?x-api-key=" + betaKey.key());
        assertThat(other.nextJson().get("type").getAsString()).isEqualTo("welcome");
        assertThat(metric("streams_limit_rejections_total")).isEqualTo(1);
    }


}
