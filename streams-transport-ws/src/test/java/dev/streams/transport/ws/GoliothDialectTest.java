package dev.streams.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.streams.auth.Credentials;
import dev.streams.auth.Scope;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Golioth LightDB Stream over real sockets: ingestion, project and device streams, errors, resume. */
class GoliothDialectTest extends ServerFixture {
    private static final String DEVICE = "61a4cfdfb2b45578105aeca5";
    private static final String OTHER = "61a4cfc9b2b45578105aeca3";

    @BeforeEach
    void startServer() {
        start();
    }

    private HttpResponse<String> ingest(String device, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(http() + "/v1/projects/alpha/devices/" + device + "/ingest"
                + (path == null ? "" : "/" + path))).header("x-api-key", alphaKey.key())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject dataOf(JsonObject frame) {
        return frame.getAsJsonObject("result").getAsJsonObject("data");
    }

    @Test
    void projectAndDeviceStreamsCarryIngestedData() throws Exception {
        TestClient project = connect("/v1/ws/projects/alpha/stream?x-api-key=" + alphaKey.key());
        TestClient device = connect("/v1/ws/projects/alpha/devices/" + OTHER + "/stream",
                Map.of("x-api-key", alphaKey.key()));
        awaitSubscriptions("alpha", 2);
        assertThat(ingest(DEVICE, null, "{\"temp\":29}").statusCode()).isEqualTo(200);
        assertThat(ingest(OTHER, "led_on", "true").statusCode()).isEqualTo(200);

        JsonObject first = project.nextJson();
        assertThat(dataOf(first).get("deviceId").getAsString()).isEqualTo(DEVICE);
        assertThat(dataOf(first).get("data").toString()).isEqualTo("{\"temp\":29}");
        assertThat(Instant.parse(dataOf(first).get("timestamp").getAsString())).isBefore(Instant.now().plusSeconds(1));
        assertThat(first.get("id").getAsString()).matches("\\d+-1");
        JsonObject second = project.nextJson();
        assertThat(dataOf(second).get("data").toString()).isEqualTo("{\"led_on\":true}");

        JsonObject only = device.nextJson();
        assertThat(dataOf(only).get("deviceId").getAsString()).isEqualTo(OTHER);
        device.assertQuiet();
    }

    @Test
    void ingestionLiftsTimestampsAndSplitsBatches() throws Exception {
        TestClient project = connect("/v1/ws/projects/alpha/stream?x-api-key=" + alphaKey.key());
        awaitSubscriptions("alpha", 1);
        ingest(DEVICE, null, "[{\"temp\":20,\"ts\":1638385973350},{\"temp\":20.5,\"time\":\"2021-12-01T19:13:18.331914908Z\"}]");
        JsonObject a = dataOf(project.nextJson());
        assertThat(a.get("data").toString()).isEqualTo("{\"temp\":20}");
        assertThat(a.get("timestamp").getAsString()).isEqualTo("2021-12-01T19:12:53.350Z");
        JsonObject b = dataOf(project.nextJson());
        assertThat(b.get("data").toString()).isEqualTo("{\"temp\":20.5}");
        assertThat(b.get("timestamp").getAsString()).isEqualTo("2021-12-01T19:13:18.331914908Z");
    }

    @Test
    void deviceDataIsStoredAsSent() throws Exception {
        TestClient project = connect("/v1/ws/projects/alpha/stream?x-api-key=" + alphaKey.key());
        awaitSubscriptions("alpha", 1);
        ingest(DEVICE, null, "{\"a\":null,\"b\":1}");
        assertThat(dataOf(project.nextJson()).get("data").toString()).isEqualTo("{\"a\":null,\"b\":1}");
        ingest(DEVICE, "n", "null");
        assertThat(dataOf(project.nextJson()).get("data").toString()).isEqualTo("{\"n\":null}");
        ingest(DEVICE, "arr", "[1,2]");
        assertThat(dataOf(project.nextJson()).get("data").toString()).isEqualTo("{\"arr\":[1,2]}");
        ingest(DEVICE, null, "{\"v\":1,\"ts\":\"1638385973350\"}");
        JsonObject digits = dataOf(project.nextJson());
        assertThat(digits.get("data").toString()).isEqualTo("{\"v\":1}");
        assertThat(digits.get("timestamp").getAsString()).isEqualTo("2021-12-01T19:12:53.350Z");
        ingest(DEVICE, null, "{\"v\":2,\"time\":\"2021-12-01T19:12:53\"}");
        assertThat(dataOf(project.nextJson()).get("timestamp").getAsString()).isEqualTo("2021-12-01T19:12:53Z");
        ingest(DEVICE, null, "{\"v\":3,\"time\":\"teatime\"}");
        JsonObject kept = dataOf(project.nextJson());
        assertThat(kept.get("data").toString()).isEqualTo("{\"v\":3,\"time\":\"teatime\"}");
    }

    @Test
    void ingestionErrorsUseTheRestShape() throws Exception {
        HttpResponse<String> noPath = ingest(DEVICE, null, "20.5");
        assertThat(noPath.statusCode()).isEqualTo(400);
        JsonObject error = JsonParser.parseString(noPath.body()).getAsJsonObject();
        assertThat(error.get("code").getAsInt()).isEqualTo(3);
        assertThat(error.get("message").getAsString()).contains("path");
        assertThat(error.getAsJsonArray("details")).isEmpty();
        assertThat(ingest(DEVICE, null, "{broken").statusCode()).isEqualTo(400);
        assertThat(ingest("bad.id", null, "{}").statusCode()).isEqualTo(400);
        // A member that does not read as a time is kept as data, not refused.
        assertThat(ingest(DEVICE, null, "{\"ts\":\"yesterday\"}").statusCode()).isEqualTo(200);

        HttpRequest readerTries = HttpRequest.newBuilder(URI.create(http() + "/v1/projects/alpha/devices/d1/ingest"))
                .header("x-api-key", alphaReader.key()).POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        assertThat(http.send(readerTries, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
        HttpRequest otherProject = HttpRequest.newBuilder(URI.create(http() + "/v1/projects/alpha/devices/d1/ingest"))
                .header("x-api-key", betaKey.key()).POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        HttpResponse<String> refused = http.send(otherProject, HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("\"code\":7");
        HttpRequest anonymous = HttpRequest.newBuilder(URI.create(http() + "/v1/projects/alpha/devices/d1/ingest"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        assertThat(http.send(anonymous, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }

    @Test
    void streamErrorsComeInBandThenClose() {
        TestClient unknown = connect("/v1/ws/projects/alpha/stream?x-api-key=stk_0000000000000000_nope");
        assertThat(unknown.nextJson().getAsJsonObject("error").get("code").getAsInt()).isEqualTo(16);
        assertThat(unknown.awaitClose().closeCode).isEqualTo(4401);

        TestClient none = connect("/v1/ws/projects/alpha/stream");
        assertThat(none.nextJson().getAsJsonObject("error").get("code").getAsInt()).isEqualTo(16);

        TestClient otherProject = connect("/v1/ws/projects/alpha/stream?x-api-key=" + betaKey.key());
        assertThat(otherProject.nextJson().getAsJsonObject("error").get("code").getAsInt()).isEqualTo(7);
        assertThat(otherProject.awaitClose().closeCode).isEqualTo(4403);

        TestClient badDevice = connect("/v1/ws/projects/alpha/devices/no%20spaces/stream?x-api-key=" + alphaKey.key());
        assertThat(badDevice.nextJson().getAsJsonObject("error").get("code").getAsInt()).isEqualTo(3);
        assertThat(badDevice.awaitClose().closeCode).isEqualTo(4400);
    }

    @Test
    void aBrowserUsesAShortLivedReadOnlyTokenAsJwt() throws Exception {
        String token = auth.issueToken(auth.authenticate(Credentials.apiKey(alphaKey.key())), "alpha",
                List.of("devices.*.stream"), Duration.ofMinutes(5), Set.of(Scope.SUBSCRIBE));
        TestClient browser = connect("/v1/ws/projects/alpha/stream?jwt=" + token);
        awaitSubscriptions("alpha", 1);
        ingest(DEVICE, null, "{\"temp\":1}");
        assertThat(dataOf(browser.nextJson()).get("data").toString()).isEqualTo("{\"temp\":1}");

        TestClient wrongProject = connect("/v1/ws/projects/beta/stream?jwt=" + token);
        assertThat(wrongProject.nextJson().getAsJsonObject("error").get("code").getAsInt()).isEqualTo(7);
    }

    @Test
    void aReconnectingDashboardResumesWithoutGaps() throws Exception {
        TestClient dashboard = connect("/v1/ws/projects/alpha/stream?x-api-key=" + alphaKey.key());
        awaitSubscriptions("alpha", 1);
        ingest(DEVICE, null, "{\"n\":1}");
        JsonObject seen = dashboard.nextJson();
        String cursor = seen.get("id").getAsString();
        Instant lastSeen = Instant.parse(dataOf(seen).get("timestamp").getAsString());
        dashboard.closeBlocking();

        ingest(DEVICE, null, "{\"n\":2}");
        ingest(OTHER, null, "{\"n\":3}");
        TestClient back = connect("/v1/ws/projects/alpha/stream?x-api-key=" + alphaKey.key() + "&resume=" + DEVICE + ":"
                + cursor + "&since=" + lastSeen);
        List<String> replayed = List.of(dataOf(back.nextJson()).get("data").toString(),
                dataOf(back.nextJson()).get("data").toString());
        assertThat(replayed).containsExactlyInAnyOrder("{\"n\":2}", "{\"n\":3}");
        back.assertQuiet();
    }
}
