package dev.streams.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.streams.auth.Scope;
import dev.streams.auth.StreamsAuth;
import dev.streams.core.Broker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI description the server serves at {@code /openapi.json} against its real answers: every response
 * it documents is provoked once and its body validated against the documented schema (networknt's JSON Schema
 * validator, draft 2020-12 as OpenAPI 3.1 uses), so the description cannot drift from the server.
 */
class OpenApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final StreamsAuth auth = StreamsAuth.builder().masterKey(ServerFixture.MASTER).build();
    private final String key = auth.createKey("alpha", "full", EnumSet.allOf(Scope.class)).key();
    private final String betaKey = auth.createKey("beta", "other", EnumSet.allOf(Scope.class)).key();
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;
    private dev.streams.history.SqlHistoryStore store;
    private Broker broker;
    private StreamsServer server;
    private JsonNode spec;
    /** "METHOD path status" of every response checked. */
    private final Set<String> checked = new TreeSet<>();

    @BeforeEach
    void start() throws Exception {
        store = dev.streams.history.SqlHistoryStore.sqlite(dir).build();
        broker = Broker.builder().historyStore(store).build();
        server = StreamsServer.builder(broker, auth).port(0).build().start();
        HttpResponse<String> answer = send(server, "GET", "/openapi.json", null, null);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        spec = JSON.readTree(answer.body());
    }

    @AfterEach
    void stop() {
        server.close();
        broker.close();
        store.close();
    }

    @Test
    void everyDocumentedResponseMatchesTheServersRealAnswer() throws Exception {
        String bearer = "Bearer " + key;
        check("post", "/v1/streams/Publish", "/v1/streams/Publish", bearer, "{\"topic\":\"chat\",\"message\":\"hi\"}", 200);
        check("post", "/v1/streams/Publish", "/v1/streams/Publish", bearer, "{\"message\":\"hi\"}", 400);
        check("post", "/v1/streams/Publish", "/v1/streams/Publish", null, "{\"topic\":\"chat\",\"message\":\"hi\"}", 401);
        check("post", "/v1/streams/Publish", "/v1/streams/Publish", bearer, null, 405, "get");
        check("post", "/v1/streams/Token", "/v1/streams/Token", bearer, "{\"topic\":\"chat\"}", 200);
        check("post", "/v1/streams/Token", "/v1/streams/Token", "Bearer stk_0000000000000000_nope", "{}", 401);

        String ingest = "/v1/projects/{project}/devices/{deviceId}/ingest";
        check("post", ingest, "/v1/projects/alpha/devices/d1/ingest", bearer, "{\"temp\":21.5,\"ts\":\"2021-12-01T19:00:00Z\"}", 200);
        check("post", ingest, "/v1/projects/alpha/devices/d1/ingest", bearer, "{\"temp\":1e999}", 400);
        check("post", ingest, "/v1/projects/alpha/devices/d1/ingest", null, "{\"temp\":1}", 401);

        String project = "/v1/projects/{project}/stream";
        check("get", project, "/v1/projects/alpha/stream?start=2021-12-01T00:00:00Z&end=2021-12-02T00:00:00Z", bearer, null, 200);
        check("get", project, "/v1/projects/alpha/stream?perPage=nope", bearer, null, 400);
        check("get", project, "/v1/projects/alpha/stream", null, null, 401);
        check("get", project, "/v1/projects/alpha/stream", "Bearer " + betaKey, null, 403);
        check("post", project, "/v1/projects/alpha/stream", bearer,
                "{\"start\":\"2021-12-01T00:00:00Z\",\"end\":\"2021-12-02T00:00:00Z\",\"perPage\":10}", 200);
        check("post", project, "/v1/projects/alpha/stream", bearer, "{\"perPage\":\"many\"}", 400);
        check("get", "/v1/projects/{project}/devices/{deviceId}/stream",
                "/v1/projects/alpha/devices/d1/stream?interval=1h", bearer, null, 200);

        try (Broker memoryOnly = Broker.create();
             StreamsServer noHistory = StreamsServer.builder(memoryOnly, auth).port(0).build().start()) {
            checkOn(noHistory, "get", project, "/v1/projects/alpha/stream", bearer, null, 503, "get");
        }
        check("get", "/healthz", "/healthz", null, null, 200);
        check("get", "/healthz", "/healthz", null, "{}", 405, "post");
        check("get", "/openapi.json", "/openapi.json", null, null, 200);

        // Every response the description documents was provoked above: none can be left unchecked.
        Set<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = spec.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!op.getKey().equals("parameters")) {
                    op.getValue().get("responses").fieldNames()
                            .forEachRemaining(status -> documented.add(op.getKey() + " " + path.getKey() + " " + status));
                }
            }
        }
        assertThat(checked).containsExactlyInAnyOrderElementsOf(documented);
    }

    private void check(String method, String documentedPath, String pathAndQuery, String authorization, String body,
                       int status) throws Exception {
        check(method, documentedPath, pathAndQuery, authorization, body, status, method);
    }

    /**
     * Sends {@code sentMethod} to the path and checks the answer against the response the description gives for
     * {@code method documentedPath status} (a wrong method's answer is documented under the path's method).
     */
    private void check(String method, String documentedPath, String pathAndQuery, String authorization, String body,
                       int status, String sentMethod) throws Exception {
        checkOn(server, method, documentedPath, pathAndQuery, authorization, body, status, sentMethod);
    }

    private void checkOn(StreamsServer on, String method, String documentedPath, String pathAndQuery,
                         String authorization, String body, int status, String sentMethod) throws Exception {
        HttpResponse<String> answer = send(on, sentMethod.toUpperCase(java.util.Locale.ROOT), pathAndQuery, authorization, body);
        assertThat(answer.statusCode()).as("%s %s: %s", sentMethod, pathAndQuery, answer.body()).isEqualTo(status);
        JsonNode response = spec.at("/paths/" + documentedPath.replace("/", "~1") + "/" + method + "/responses/" + status);
        assertThat(response.isMissingNode()).as("documented: %s %s %d", method, documentedPath, status).isFalse();
        JsonNode schema = response.at("/content/application~1json/schema");
        assertThat(schema.isMissingNode()).as("a JSON schema for %s %s %d", method, documentedPath, status).isFalse();
        Set<ValidationMessage> errors = schemaOf(schema).validate(JSON.readTree(answer.body()));
        assertThat(errors).as("%s %s %d answered %s", method, pathAndQuery, status, answer.body()).isEmpty();
        checked.add(method + " " + documentedPath + " " + status);
    }

    /** The response's schema with the description's components beside it, as a draft 2020-12 schema. */
    private JsonSchema schemaOf(JsonNode schema) throws Exception {
        ObjectNode whole = (ObjectNode) JSON.readTree(JSON.writeValueAsString(schema)
                .replace("#/components/schemas/", "#/$defs/"));
        whole.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        whole.set("$defs", JSON.readTree(JSON.writeValueAsString(spec.at("/components/schemas"))
                .replace("#/components/schemas/", "#/$defs/")));
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(whole);
    }

    private HttpResponse<String> send(StreamsServer on, String method, String pathAndQuery, String authorization,
                                      String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + on.port() + pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
