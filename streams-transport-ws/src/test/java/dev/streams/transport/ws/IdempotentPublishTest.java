package dev.streams.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.streams.devices.DeviceTopics;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A publish retried with the same idempotency key, on every way in: stored once, the same cursor twice. */
class IdempotentPublishTest extends ServerFixture {
    private HttpResponse<String> post(String path, String key, String idempotencyKey, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(http() + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + key).header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void m3oPublishRetriedIsStoredOnceAndAnsweredWithTheFirstCursor() throws Exception {
        start();
        String body = "{\"topic\":\"orders\",\"message\":\"paid\"}";
        HttpResponse<String> first = post("/v1/streams/Publish", alphaKey.key(), "order-1", body);
        HttpResponse<String> retry = post("/v1/streams/Publish", alphaKey.key(), "order-1", body);
        HttpResponse<String> next = post("/v1/streams/Publish", alphaKey.key(), "order-2", body);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("{}");
        String cursor = first.headers().firstValue("Streams-Cursor").orElseThrow();
        assertThat(retry.headers().firstValue("Streams-Cursor")).hasValue(cursor);
        assertThat(next.headers().firstValue("Streams-Cursor").orElseThrow()).isNotEqualTo(cursor);
        assertThat(broker.stats("alpha").published()).isEqualTo(2);
        assertThat(broker.stats("alpha").repeatedPublishes()).isEqualTo(1);
        assertThat(get("/metrics").body()).contains("streams_broker_repeated_publishes_total 1");
        // A key that is not one: refused with the reason, nothing stored.
        HttpResponse<String> bad = post("/v1/streams/Publish", alphaKey.key(), "has space", body);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(broker.stats("alpha").published()).isEqualTo(2);
    }

    @Test
    void deviceIngestRetriedStoresItsWholeBatchOnce() throws Exception {
        start();
        String batch = "[{\"temp\":1},{\"temp\":2},{\"temp\":3}]";
        HttpResponse<String> first = post("/v1/projects/alpha/devices/d1/ingest", alphaKey.key(), "upload-7", batch);
        HttpResponse<String> retry = post("/v1/projects/alpha/devices/d1/ingest", alphaKey.key(), "upload-7", batch);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.headers().firstValue("Streams-Cursor")).isEqualTo(first.headers().firstValue("Streams-Cursor"));
        assertThat(first.headers().firstValue("Streams-Cursor").orElseThrow()).endsWith("-3");
        assertThat(broker.latestPosition("alpha", DeviceTopics.topicOf("d1")).orElseThrow().offset()).isEqualTo(3);
        assertThat(broker.stats("alpha").repeatedPublishes()).isEqualTo(3);
    }

    @Test
    void nativePublishRetriedIsAcknowledgedWithTheFirstCursor() throws Exception {
        start();
        TestClient client = connect("/v1/ws/native?x-api-key=" + alphaKey.key());
        client.nextJson();
        client.send("{\"type\":\"publish\",\"id\":\"1\",\"topic\":\"t\",\"text\":\"x\",\"key\":\"k-1\"}");
        JsonObject first = client.nextJson();
        client.send("{\"type\":\"publish\",\"id\":\"2\",\"topic\":\"t\",\"text\":\"x\",\"key\":\"k-1\"}");
        JsonObject retry = client.nextJson();
        assertThat(first.get("type").getAsString()).isEqualTo("ack");
        assertThat(retry.get("type").getAsString()).isEqualTo("ack");
        assertThat(retry.get("cursor").getAsString()).isEqualTo(first.get("cursor").getAsString());
        client.send("{\"type\":\"publish\",\"id\":\"3\",\"topic\":\"t\",\"text\":\"x\",\"key\":7}");
        JsonObject refused = client.nextJson();
        assertThat(refused.get("type").getAsString()).isEqualTo("error");
        assertThat(refused.get("id").getAsString()).isEqualTo("3");
        assertThat(broker.stats("alpha").published()).isEqualTo(1);
    }
}
