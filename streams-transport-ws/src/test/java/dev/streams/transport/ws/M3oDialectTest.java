package dev.streams.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** m3o Streams over real HTTP and WebSocket: Publish, Token, Subscribe, and every error of COMPAT.md. */
class M3oDialectTest extends ServerFixture {

    @BeforeEach
    void startServer() {
        start();
    }

    private String token(String topic) throws Exception {
        HttpResponse<String> response = post("/v1/streams/Token", alphaKey.key(),
                topic == null ? "{}" : "{\"topic\":\"" + topic + "\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        return JsonParser.parseString(response.body()).getAsJsonObject().get("token").getAsString();
    }

    private TestClient subscribe(String request) {
        TestClient client = connect("/v1/streams/Subscribe");
        client.send(request);
        return client;
    }

    private static void assertError(String body, String id, int code, String detail) {
        JsonObject error = JsonParser.parseString(body).getAsJsonObject();
        assertThat(error.get("id").getAsString()).isEqualTo(id);
        assertThat(error.get("code").getAsInt()).isEqualTo(code);
        assertThat(error.get("detail").getAsString()).isEqualTo(detail);
        assertThat(error.get("status").getAsString()).isNotEmpty();
    }

    private void assertStreamError(String request, String id, int code, String detail) {
        TestClient client = subscribe(request);
        assertError(client.next(), id, code, detail);
        client.awaitClose();
        assertThat(client.closeCode).isEqualTo(4000 + code);
        assertThat(client.closeReason).isEqualTo(id);
    }

    @Test
    void publishedMessagesArriveExactlyAsSentWithFullPrecision() throws Exception {
        TestClient client = subscribe("{\"topic\":\"events\",\"token\":\"" + token("events") + "\"}");
        awaitSubscriptions("alpha", 1);
        Instant before = Instant.now();
        assertThat(post("/v1/streams/Publish", alphaKey.key(), "{\"topic\":\"events\",\"message\":\"hello\"}").body())
                .isEqualTo("{}");
        JsonObject message = client.nextJson();
        assertThat(message.get("topic").getAsString()).isEqualTo("events");
        assertThat(message.get("message").getAsString()).as("not JSON-encoded twice").isEqualTo("hello");
        Instant sentAt = Instant.parse(message.get("sent_at").getAsString());
        assertThat(sentAt).isAfterOrEqualTo(before.minusSeconds(1));
        assertThat(message.get("sent_at").getAsString()).as("sub-second precision").contains(".");
        assertThat(message.get("id").getAsString()).matches("\\d+-1");
    }

    @Test
    void aPublishersOwnSentAtIsDelivered() throws Exception {
        TestClient client = subscribe("{\"topic\":\"events\",\"token\":\"" + token("events") + "\"}");
        awaitSubscriptions("alpha", 1);
        post("/v1/streams/Publish", alphaKey.key(), "{\"topic\":\"events\",\"message\":\"a\",\"sent_at\":\"2021-12-01T19:12:53.5Z\"}");
        post("/v1/streams/Publish", alphaKey.key(), "{\"topic\":\"events\",\"message\":\"b\",\"sentAt\":\"2021-12-01T20:12:53+01:00\"}");
        assertThat(client.nextJson().get("sent_at").getAsString()).isEqualTo("2021-12-01T19:12:53.500Z");
        assertThat(client.nextJson().get("sent_at").getAsString()).isEqualTo("2021-12-01T19:12:53Z");
        HttpResponse<String> bad = post("/v1/streams/Publish", alphaKey.key(),
                "{\"topic\":\"events\",\"message\":\"c\",\"sent_at\":\"yesterday\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("sent_at");
    }

    @Test
    void pathFormsAndBearerKeyOnTheHandshakeWork() throws Exception {
        TestClient client = connect("/v1/streams/streams/subscribe", Map.of("Authorization", "Bearer " + alphaKey.key()));
        client.send("{\"topic\":\"t\"}");
        awaitSubscriptions("alpha", 1);
        assertThat(post("/streams/Streams/Publish", alphaKey.key(), "{\"topic\":\"t\",\"message\":\"a\"}").statusCode())
                .isEqualTo(200);
        assertThat(post("/v1/streams/publish", alphaKey.key(), "{\"topic\":\"t\",\"message\":\"b\"}").statusCode())
                .isEqualTo(200);
        assertThat(client.nextJson().get("message").getAsString()).isEqualTo("a");
        assertThat(client.nextJson().get("message").getAsString()).isEqualTo("b");
    }

    @Test
    void streamErrorsInTheirOrderWithAnErrorFrameThenACloseCode() throws Exception {
        String good = token("events");
        assertStreamError("{\"topic\":\"events\"}", "MISSING_TOKEN", 400, "Missing token");
        assertStreamError("{\"token\":\"" + good + "\"}", "MISSING_TOPIC", 400, "Missing topic");
        assertStreamError("{\"topic\":\"a..b\",\"token\":\"" + good + "\"}", "MISSING_TOPIC", 400, "Invalid topic");
        assertStreamError("{\"topic\":\"events\",\"token\":\"garbage\"}", "INVALID_TOKEN", 403, "Invalid token");
        assertStreamError("{\"topic\":\"other\",\"token\":\"" + good + "\"}", "FORBIDDEN_TOPIC", 403,
                "Token has not have permission to subscribe to this topic");
        authClock.advance(Duration.ofMinutes(2));
        assertStreamError("{\"topic\":\"events\",\"token\":\"" + good + "\"}", "EXPIRED_TOKEN", 403, "Token expired");
        assertStreamError("not json", "BAD_REQUEST", 400, "Invalid JSON request");
    }

    @Test
    void unaryErrors() throws Exception {
        HttpResponse<String> missingTopic = post("/v1/streams/Publish", alphaKey.key(), "{\"message\":\"x\"}");
        assertThat(missingTopic.statusCode()).isEqualTo(400);
        assertThat(missingTopic.body()).isEqualTo(
                "{\"id\":\"MISSING_TOPIC\",\"code\":400,\"detail\":\"Missing topic\",\"status\":\"Bad Request\"}");
        assertError(post("/v1/streams/Publish", alphaKey.key(), "{\"topic\":\"a/b\",\"message\":\"x\"}").body(),
                "MISSING_TOPIC", 400, "Invalid topic");
        assertError(post("/v1/streams/Publish", alphaKey.key(), "{\"topic\":\"t\"}").body(),
                "MISSING_MESSAGE", 400, "Missing message");
        assertError(post("/v1/streams/Publish", alphaKey.key(), "{\"topic\":\"chat\",\"message\":{\"text\":\"hi\"}}").body(),
                "BAD_REQUEST", 400, "message must be a string; to send JSON, send it as text");
        assertError(post("/v1/streams/Publish", alphaKey.key(), "{\"topic\":").body(), "BAD_REQUEST", 400,
                "Invalid JSON request");
        HttpResponse<String> noKey = post("/v1/streams/Publish", null, "{\"topic\":\"t\",\"message\":\"x\"}");
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(post("/v1/streams/Publish", "stk_0000000000000000_nope", "{}").statusCode()).isEqualTo(401);
        HttpResponse<String> reader = post("/v1/streams/Publish", alphaReader.key(), "{\"topic\":\"t\",\"message\":\"x\"}");
        assertThat(reader.statusCode()).isEqualTo(403);
        assertThat(post("/v1/streams/Token", alphaReader.key(), "{}").statusCode()).as("no issue scope").isEqualTo(403);
        assertError(post("/v1/streams/Token", alphaKey.key(), "{\"topic\":\"a.*\"}").body(), "MISSING_TOPIC", 400,
                "Invalid topic");
        assertThat(get("/v1/streams/Publish").statusCode()).isEqualTo(405);
    }

    @Test
    void tokenWithoutTopicIsGoodForAnyTopicOfItsProjectOnly() throws Exception {
        String any = token(null);
        TestClient client = subscribe("{\"topic\":\"whatever\",\"token\":\"" + any + "\"}");
        awaitSubscriptions("alpha", 1);
        post("/v1/streams/Publish", betaKey.key(), "{\"topic\":\"whatever\",\"message\":\"beta's\"}");
        post("/v1/streams/Publish", alphaKey.key(), "{\"topic\":\"whatever\",\"message\":\"alpha's\"}");
        assertThat(client.nextJson().get("message").getAsString()).isEqualTo("alpha's");
        client.assertQuiet();
    }

    @Test
    void resumeAfterACursorMissesNothing() throws Exception {
        String token = token("feed");
        TestClient first = subscribe("{\"topic\":\"feed\",\"token\":\"" + token + "\"}");
        awaitSubscriptions("alpha", 1);
        post("/v1/streams/Publish", alphaKey.key(), "{\"topic\":\"feed\",\"message\":\"1\"}");
        String cursor = first.nextJson().get("id").getAsString();
        first.closeBlocking();
        post("/v1/streams/Publish", alphaKey.key(), "{\"topic\":\"feed\",\"message\":\"2\"}");
        post("/v1/streams/Publish", alphaKey.key(), "{\"topic\":\"feed\",\"message\":\"3\"}");
        TestClient again = subscribe("{\"topic\":\"feed\",\"token\":\"" + token + "\",\"after\":\"" + cursor + "\"}");
        assertThat(again.nextJson().get("message").getAsString()).isEqualTo("2");
        assertThat(again.nextJson().get("message").getAsString()).isEqualTo("3");
        assertStreamError("{\"topic\":\"feed\",\"token\":\"" + token + "\",\"after\":\"nope\"}", "BAD_REQUEST", 400,
                "Invalid resume cursor");
    }

    @Test
    void largeMessagesUseTheLongFrameLengthAndArriveIntact() throws Exception {
        TestClient client = subscribe("{\"topic\":\"big\",\"token\":\"" + token("big") + "\"}");
        awaitSubscriptions("alpha", 1);
        String large = "L".repeat(200_000);
        String medium = "M".repeat(1_000);
        assertThat(post("/v1/streams/Publish", alphaKey.key(), "{\"topic\":\"big\",\"message\":\"" + large + "\"}")
                .statusCode()).isEqualTo(200);
        assertThat(post("/v1/streams/Publish", alphaKey.key(), "{\"topic\":\"big\",\"message\":\"" + medium + "\"}")
                .statusCode()).isEqualTo(200);
        assertThat(client.nextJson().get("message").getAsString()).isEqualTo(large);
        assertThat(client.nextJson().get("message").getAsString()).isEqualTo(medium);
    }
}
