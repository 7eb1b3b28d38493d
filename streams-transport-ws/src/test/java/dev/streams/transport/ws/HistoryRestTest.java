package dev.streams.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.streams.auth.Credentials;
import dev.streams.auth.Scope;
import dev.streams.auth.StreamsAuth;
import dev.streams.core.Await;
import dev.streams.core.Broker;
import dev.streams.history.SqlHistoryStore;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Golioth's History REST API over real HTTP, on the SQLite store. */
class HistoryRestTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final StreamsAuth auth = StreamsAuth.builder().masterKey(ServerFixture.MASTER).build();
    private final String key = auth.createKey("alpha", "full", EnumSet.allOf(Scope.class)).key();
    private final String betaKey = auth.createKey("beta", "other", EnumSet.allOf(Scope.class)).key();
    @TempDir
    Path dir;
    private SqlHistoryStore store;
    private Broker broker;
    private StreamsServer server;

    @BeforeEach
    void start() throws Exception {
        store = SqlHistoryStore.sqlite(dir).build();
        broker = Broker.builder().historyStore(store).build();
        server = StreamsServer.builder(broker, auth).port(0).build().start();
        String[] readings = {"{\"temp\":20,\"ts\":\"2021-12-01T19:00:00Z\"}", "{\"temp\":21.5,\"ts\":\"2021-12-01T19:01:00Z\"}",
            "{\"temp\":25,\"label\":\"hot\",\"ts\":\"2021-12-01T19:02:00Z\"}"};
        for (String r : readings) {
            assertThat(post("/v1/projects/alpha/devices/d1/ingest", key, r).statusCode()).isEqualTo(200);
        }
        assertThat(post("/v1/projects/alpha/devices/d2/ingest", key, "{\"temp\":10,\"ts\":\"2021-12-01T19:03:00Z\"}")
                .statusCode()).isEqualTo(200);
        Await.until(() -> store.status().metrics().get("streams_history_stored_total").longValue() >= 4, "4 readings stored");
    }

    @AfterEach
    void stop() {
        server.close();
        broker.close();
        store.close();
    }

    private HttpResponse<String> post(String path, String credential, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (credential != null) {
            b.header("x-api-key", credential);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String pathAndQuery, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(HttpResponse<String> r) {
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    private static final String RANGE = "\"start\":\"2021-12-01T18:00:00Z\",\"end\":\"2021-12-01T20:00:00Z\"";

    @Test
    void aDevicesReadingsComeBackNewestFirstWithFieldsAndFilters() throws Exception {
        HttpResponse<String> all = post("/v1/projects/alpha/devices/d1/stream", key, "{" + RANGE + "}");
        assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
        JsonObject page = json(all);
        assertThat(page.get("total").getAsInt()).isEqualTo(3);
        assertThat(page.get("page").getAsInt()).isZero();
        assertThat(page.get("perPage").getAsInt()).isEqualTo(100);
        JsonObject newest = page.getAsJsonArray("list").get(0).getAsJsonObject();
        assertThat(newest.get("time").getAsString()).isEqualTo("2021-12-01T19:02:00Z");
        assertThat(newest.get("deviceId").getAsString()).isEqualTo("d1");
        assertThat(newest.getAsJsonObject("data").get("label").getAsString()).isEqualTo("hot");

        JsonObject filtered = json(post("/v1/projects/alpha/devices/d1/stream", key, "{" + RANGE + ",\"query\":{"
                + "\"fields\":[{\"path\":\"time\"},{\"path\":\"temp\",\"alias\":\"t\"}],"
                + "\"filters\":[{\"path\":\"temp\",\"op\":\">\",\"value\":20}]}}"));
        assertThat(filtered.get("total").getAsInt()).isEqualTo(2);
        assertThat(filtered.getAsJsonArray("list").get(1).getAsJsonObject().get("t").getAsDouble()).isEqualTo(21.5);

        String encoded = URLEncoder.encode("{\"fields\":[{\"path\":\"temp\",\"agg\":\"avg\"},{\"path\":\"deviceId\"}]}",
                StandardCharsets.UTF_8);
        HttpResponse<String> byDevice = get("/v1/projects/alpha/stream?start=2021-12-01T18:00:00Z&end=2021-12-01T20:00:00Z"
                + "&encodedQuery=" + encoded + "&deviceId[]=d1&deviceId[]=d2", key);
        assertThat(byDevice.statusCode()).as(byDevice.body()).isEqualTo(200);
        JsonArray groups = json(byDevice).getAsJsonArray("list");
        assertThat(groups).hasSize(2);
        assertThat(groups.get(0).getAsJsonObject().get("temp").getAsDouble()).isEqualTo((20 + 21.5 + 25) / 3);
        assertThat(groups.get(1).getAsJsonObject().get("temp").getAsDouble()).isEqualTo(10);
    }

    @Test
    void theSameCredentialsAsTheStreamsAndNothingElse() throws Exception {
        var issuer = auth.authenticate(Credentials.apiKey(key));
        String readOnly = auth.issueToken(issuer, "alpha", List.of("devices.*.stream"), Duration.ofMinutes(5),
                Set.of(Scope.SUBSCRIBE));
        String oneDevice = auth.issueToken(issuer, "alpha", List.of("devices.d2.stream"), Duration.ofMinutes(5),
                Set.of(Scope.SUBSCRIBE));
        String window = "?start=2021-12-01T18:00:00Z&end=2021-12-01T20:00:00Z";
        assertThat(get("/v1/projects/alpha/devices/d1/stream" + window, readOnly).statusCode()).isEqualTo(200);
        assertThat(get("/v1/projects/alpha/devices/d2/stream" + window, oneDevice).statusCode()).isEqualTo(200);
        HttpResponse<String> otherDevice = get("/v1/projects/alpha/devices/d1/stream" + window, oneDevice);
        assertThat(otherDevice.statusCode()).isEqualTo(403);
        assertThat(json(otherDevice).get("code").getAsInt()).isEqualTo(7);
        // At the project's path, a credential for some devices reads those devices only.
        HttpResponse<String> itsDevices = get("/v1/projects/alpha/stream" + window, oneDevice);
        assertThat(itsDevices.statusCode()).as(itsDevices.body()).isEqualTo(200);
        assertThat(json(itsDevices).get("total").getAsInt()).isEqualTo(1);
        assertThat(json(itsDevices).getAsJsonArray("list").get(0).getAsJsonObject().get("deviceId").getAsString())
                .isEqualTo("d2");
        assertThat(get("/v1/projects/alpha/stream" + window, betaKey).statusCode()).isEqualTo(403);
        HttpResponse<String> anonymous = get("/v1/projects/alpha/stream" + window, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(json(anonymous).get("code").getAsInt()).isEqualTo(16);
    }

    @Test
    void historyReadsOnlyTopicsTheCredentialMaySubscribeTo() throws Exception {
        // A message of another dialect on a topic the device-stream token may not read.
        broker.publish("alpha", "secret.payroll", "application/json",
                "{\"alice\":{\"salary\":9000},\"temp\":99}".getBytes(StandardCharsets.UTF_8),
                java.util.Map.of(dev.streams.devices.DeviceIngestor.DEVICE_TIME, "2021-12-01T19:05:00Z"));
        var issuer = auth.authenticate(Credentials.apiKey(key));
        String devicesOnly = auth.issueToken(issuer, "alpha", List.of("devices.*.stream"), Duration.ofMinutes(5),
                Set.of(Scope.SUBSCRIBE));
        String salary = "{" + RANGE + ",\"query\":{\"fields\":[{\"path\":\"alice.salary\",\"agg\":\"max\"},"
                + "{\"path\":\"temp\",\"agg\":\"max\"},{\"path\":\"*\",\"agg\":\"count\",\"alias\":\"n\"}]}}";
        for (String credential : List.of(devicesOnly, key)) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                            + "/v1/projects/alpha/stream")).header("Authorization", "Bearer " + credential)
                    .POST(HttpRequest.BodyPublishers.ofString(salary)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonObject row = json(r).getAsJsonArray("list").get(0).getAsJsonObject();
            assertThat(row.get("alice.salary").isJsonNull()).as("no aggregate reaches another topic: " + r.body()).isTrue();
            assertThat(row.get("temp").getAsInt()).isEqualTo(25);
            assertThat(row.get("n").getAsInt()).as("device readings only").isEqualTo(4);
        }
        HttpResponse<String> rows = post("/v1/projects/alpha/stream", key, "{" + RANGE + "}");
        assertThat(json(rows).get("total").getAsInt()).isEqualTo(4);
        for (var row : json(rows).getAsJsonArray("list")) {
            assertThat(row.getAsJsonObject().get("deviceId").isJsonNull()).as(rows.body()).isFalse();
        }
    }

    @Test
    void nonFiniteNumbersAreRefusedAtIngestAndBucketsThatOverflowAreNamed() throws Exception {
        HttpResponse<String> infinite = post("/v1/projects/alpha/devices/d1/ingest", key, "{\"v\":1e999}");
        assertThat(infinite.statusCode()).isEqualTo(400);
        assertThat(infinite.body()).contains("finite");
        HttpResponse<String> nested = post("/v1/projects/alpha/devices/d1/ingest", key, "[{\"a\":{\"b\":[-1e400]}}]");
        assertThat(nested.statusCode()).isEqualTo(400);
        HttpResponse<String> bucket = post("/v1/projects/alpha/devices/d1/stream", key, "{" + RANGE + ",\"query\":{"
                + "\"fields\":[{\"path\":\"time\"},{\"path\":\"temp\",\"agg\":\"avg\"}],\"timeBucket\":\"999999999w\"}}");
        assertThat(bucket.statusCode()).as(bucket.body()).isEqualTo(400);
        assertThat(json(bucket).get("message").getAsString()).contains("timeBucket");
        HttpResponse<String> noTime = post("/v1/projects/alpha/devices/d1/stream", key, "{" + RANGE + ",\"query\":{"
                + "\"fields\":[{\"path\":\"temp\",\"agg\":\"avg\"}],\"timeBucket\":\"1m\"}}");
        assertThat(noTime.statusCode()).as(noTime.body()).isEqualTo(400);
        assertThat(json(noTime).get("message").getAsString()).contains("time");
        HttpResponse<String> farPast = post("/v1/projects/alpha/devices/d1/stream", key,
                "{\"start\":\"1000-01-01T00:00:00Z\",\"end\":\"1000-01-02T00:00:00Z\"}");
        assertThat(farPast.statusCode()).as(farPast.body()).isEqualTo(400);
        assertThat(json(farPast).get("message").getAsString()).contains("start");
    }

    @Test
    void badQueriesGet400InGoliothsShapeAndAQueryIsNeverStored() throws Exception {
        long before = broker.stats("alpha").published();
        List<String> bad = List.of("{\"query\":{\"filters\":[{\"path\":\"temp\",\"op\":\"~\",\"value\":1}]}}",
                "{\"start\":\"yesterday\"}", "{\"perPage\":5000}", "{\"interval\":\"forever\"}",
                "{\"query\":{\"fields\":[{\"path\":\"temp\",\"agg\":\"median\"}]}}",
                "{\"query\":{\"filters\":[" + "{\"op\":\"and\",\"filters\":[".repeat(12) + "{\"path\":\"a\",\"op\":\"=\",\"value\":1}"
                        + "]}".repeat(12) + "]}}",
                "{\"query\":{\"fields\":[{\"path\":\"a;drop table x\"}]}}", "{\"tags[]\":[\"x\"]}", "[1,2]",
                "{\"start\":\"2020-01-01T00:00:00Z\",\"end\":\"2021-12-01T00:00:00Z\"}");
        for (String body : bad) {
            HttpResponse<String> r = post("/v1/projects/alpha/devices/d1/stream", key, body);
            assertThat(r.statusCode()).as(body + " -> " + r.body()).isEqualTo(400);
            JsonObject error = json(r);
            assertThat(error.get("code").getAsInt()).isEqualTo(3);
            assertThat(error.getAsJsonArray("details")).isEmpty();
        }
        assertThat(broker.stats("alpha").published()).as("no query stored as data").isEqualTo(before);
    }

    @Test
    void queryMembersOutsideTheQueryAreNamedNotIgnored() throws Exception {
        HttpResponse<String> misplaced = post("/v1/projects/alpha/devices/d1/stream", key,
                "{\"fields\":[{\"path\":\"temp\",\"agg\":\"avg\"}]}");
        assertThat(misplaced.statusCode()).isEqualTo(400);
        assertThat(json(misplaced).get("message").getAsString()).startsWith("fields belongs inside query");
        HttpResponse<String> typo = post("/v1/projects/alpha/devices/d1/stream", key,
                "{\"query\":{\"field\":[{\"path\":\"temp\"}]}}");
        assertThat(typo.statusCode()).isEqualTo(400);
        assertThat(json(typo).get("message").getAsString()).startsWith("query.field is not a query member");
        HttpResponse<String> bucketWithoutTime = post("/v1/projects/alpha/devices/d1/stream", key,
                "{\"query\":{\"fields\":[{\"path\":\"temp\",\"agg\":\"avg\"}],\"timeBucket\":\"1m\"}}");
        assertThat(bucketWithoutTime.statusCode()).isEqualTo(400);
        assertThat(json(bucketWithoutTime).get("message").getAsString()).contains("{\"path\":\"time\"}");
    }

    @Test
    void anInMemoryServerSaysItCannotAnswer() throws Exception {
        Broker memory = Broker.create();
        try (var s = StreamsServer.builder(memory, auth).port(0).build().start()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port()
                    + "/v1/projects/alpha/stream?x-api-key=" + key)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(json(r).get("message").getAsString()).contains("durable");
        } finally {
            memory.close();
        }
    }
}
