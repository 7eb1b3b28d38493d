package dev.streams.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Server-Sent Events over real HTTP: the same data as the WebSocket, ids that resume, named gaps and errors. */
class EventStreamTest extends ServerFixture {

    private void ingest(String device, int n) {
        broker.publish("alpha", "devices." + device + ".stream", "application/json",
                ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8), Map.of("deviceId", device));
    }

    @Test
    void aProjectStreamResumesEveryDeviceExactlyFromLastEventId() throws Exception {
        start();
        String path = "/v1/ws/projects/alpha/stream?x-api-key=" + alphaKey.key();
        List<String> seen = new ArrayList<>();
        String lastId;
        try (SseStream first = new SseStream(http, http() + path, null)) {
            assertThat(first.response.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
            awaitSubscriptions("alpha", 1);
            for (int i = 1; i <= 6; i++) {
                ingest(i % 2 == 0 ? "even" : "odd", i);
            }
            SseStream.Sse event = null;
            for (int i = 1; i <= 4; i++) {
                event = first.next();
                JsonObject data = event.json().getAsJsonObject("result").getAsJsonObject("data");
                seen.add(data.get("deviceId").getAsString() + ":" + data.getAsJsonObject("data").get("n").getAsInt());
            }
            lastId = event.id();
        }
        awaitSubscriptions("alpha", 0);
        ingest("odd", 7);
        ingest("third", 8);
        try (SseStream again = new SseStream(http, http() + path, lastId)) {
            for (int i = 0; i < 4; i++) {
                JsonObject data = again.next().json().getAsJsonObject("result").getAsJsonObject("data");
                seen.add(data.get("deviceId").getAsString() + ":" + data.getAsJsonObject("data").get("n").getAsInt());
            }
            assertThat(again.events.poll(300, TimeUnit.MILLISECONDS)).isNull();
        }
        // Every event once; per device in order (order across devices is not defined on a replay).
        assertThat(seen).containsExactlyInAnyOrder("odd:1", "even:2", "odd:3", "even:4", "odd:5", "even:6", "odd:7",
                "third:8");
        assertThat(seen.stream().filter(s -> s.startsWith("odd")).toList()).containsExactly("odd:1", "odd:3", "odd:5",
                "odd:7");
        assertThat(seen.stream().filter(s -> s.startsWith("even")).toList()).containsExactly("even:2", "even:4",
                "even:6");
    }

    @Test
    void aDeviceStreamResumesFromTheCursorAndAnUnknownResumeIsReported() throws Exception {
        start();
        ingest("d1", 1);
        ingest("d1", 2);
        String cursor = broker.latestPosition("alpha", "devices.d1.stream").orElseThrow().cursor();
        ingest("d1", 3);
        try (SseStream device = new SseStream(http, http() + "/v1/ws/projects/alpha/devices/d1/stream?x-api-key=" + alphaKey.key(), cursor)) {
            SseStream.Sse event = device.next();
            assertThat(event.json().getAsJsonObject("result").getAsJsonObject("data").getAsJsonObject("data")
                    .get("n").getAsInt()).isEqualTo(3);
            assertThat(event.id()).isEqualTo(broker.latestPosition("alpha", "devices.d1.stream").orElseThrow().cursor());
        }
        try (SseStream lost = new SseStream(http, http() + "/v1/ws/projects/alpha/stream?x-api-key=" + alphaKey.key(), "nosuchrecord.5")) {
            SseStream.Sse gap = lost.next();
            assertThat(gap.name()).isEqualTo("gap");
            assertThat(gap.json().getAsJsonObject("gap").get("cause").getAsString()).isEqualTo("RESUME_UNAVAILABLE");
        }
    }

    @Test
    void theNativeEventStreamCarriesNativeFramesAndEndsWithANamedError() throws Exception {
        start();
        try (SseStream stream = new SseStream(http, http() + "/v1/sse?topic=rooms.*&last=1&x-api-key=" + alphaKey.key(), null)) {
            awaitSubscriptions("alpha", 1);
            broker.publish("alpha", "rooms.a", "line one\nline two".getBytes(StandardCharsets.UTF_8));
            SseStream.Sse event = stream.next();
            assertThat(event.json().get("type").getAsString()).isEqualTo("event");
            assertThat(event.json().get("text").getAsString()).isEqualTo("line one\nline two");
        }
        try (SseStream refused = new SseStream(http, http() + "/v1/sse?topic=rooms.*&x-api-key=wrong", null)) {
            SseStream.Sse error = refused.next();
            assertThat(error.name()).isEqualTo("error");
            assertThat(error.json().get("code").getAsString()).isEqualTo("UNAUTHENTICATED");
            refused.ended.get(10, TimeUnit.SECONDS);
        }
        try (SseStream noTopic = new SseStream(http, http() + "/v1/sse?x-api-key=" + alphaKey.key(), null)) {
            assertThat(noTopic.next().json().get("code").getAsString()).isEqualTo("BAD_REQUEST");
        }
    }

    @Test
    void anEventStreamEndsWhenItsCredentialExpires() throws Exception {
        start();
        var issuer = auth.authenticate(dev.streams.auth.Credentials.apiKey(alphaKey.key()));
        String token = auth.issueToken(issuer, "alpha", List.of("devices.>"), Duration.ofSeconds(1),
                java.util.Set.of(dev.streams.auth.Scope.SUBSCRIBE));
        try (SseStream stream = new SseStream(http, http() + "/v1/ws/projects/alpha/stream?jwt=" + token, null)) {
            SseStream.Sse error = stream.next();
            assertThat(error.name()).isEqualTo("error");
            assertThat(error.json().getAsJsonObject("error").get("code").getAsInt()).isEqualTo(16);
            stream.ended.get(10, TimeUnit.SECONDS);
        }
    }
}
