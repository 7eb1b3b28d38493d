package dev.streams.transport.ws;

import dev.streams.auth.NewApiKey;
import dev.streams.auth.Scope;
import dev.streams.auth.StreamsAuth;
import dev.streams.core.Await;
import dev.streams.core.Broker;
import dev.streams.core.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;

/** Starts a real server on a free port, with keys for two projects, and closes everything after each test. */
abstract class ServerFixture {
    static final byte[] MASTER = "transport-test-master-key-0123456789".getBytes(StandardCharsets.UTF_8);
    final MutableClock authClock = new MutableClock(Instant.now());
    final Broker broker = Broker.create();
    final StreamsAuth auth = StreamsAuth.builder().masterKey(MASTER).clock(authClock).build();
    final NewApiKey alphaKey = auth.createKey("alpha", "full", EnumSet.allOf(Scope.class));
    final NewApiKey alphaReader = auth.createKey("alpha", "reader", EnumSet.of(Scope.SUBSCRIBE));
    final NewApiKey betaKey = auth.createKey("beta", "other", EnumSet.allOf(Scope.class));
    final HttpClient http = HttpClient.newHttpClient();
    final List<TestClient> clients = new ArrayList<>();
    StreamsServer server;

    StreamsServer start() {
        return start(b -> b);
    }

    StreamsServer start(UnaryOperator<StreamsServer.Builder> settings) {
        server = settings.apply(transport(StreamsServer.builder(broker, auth).port(0))).build().start();
        return server;
    }

    /** The socket transport the tests run on: the default (native epoll on Linux x86-64); NIO in subclasses. */
    StreamsServer.Builder transport(StreamsServer.Builder builder) {
        return builder;
    }

    String http() {
        return "http://127.0.0.1:" + server.port();
    }

    String ws() {
        return "ws://127.0.0.1:" + server.port();
    }

    /** A native-protocol client of {@code alpha}, subscribed to {@code topic} (acknowledged). */
    TestClient nativeSubscriber(String topic) {
        TestClient client = connect("/v1/ws/native?x-api-key=" + alphaKey.key());
        org.assertj.core.api.Assertions.assertThat(client.nextJson().get("type").getAsString()).isEqualTo("welcome");
        client.send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"" + topic + "\"}");
        org.assertj.core.api.Assertions.assertThat(client.nextJson().get("type").getAsString()).isEqualTo("ack");
        return client;
    }

    TestClient connect(String path) {
        TestClient client = TestClient.connect(ws() + path);
        clients.add(client);
        return client;
    }

    TestClient connect(String path, java.util.Map<String, String> headers) {
        TestClient client = TestClient.connect(ws() + path, headers, null);
        clients.add(client);
        return client;
    }

    HttpResponse<String> post(String path, String key, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(http() + path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A metric's value, as {@code /metrics} renders it now. */
    long metric(String name) throws IOException, InterruptedException {
        String body = get("/metrics").body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + java.util.regex.Pattern.quote(name)
                + " (\\d+)$").matcher(body);
        org.assertj.core.api.Assertions.assertThat(m.find()).as(name + " in\n" + body).isTrue();
        return Long.parseLong(m.group(1));
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(http() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until the broker holds {@code count} subscriptions of {@code project} (clients subscribe asynchronously). */
    /**
     * Waits until the broker holds {@code count} subscriptions of {@code project} and the server's sessions hold
     * as many: a session counts its subscription once the broker joined it to its topic (the broker counts it a
     * moment earlier), and a live subscription does not get what is published before it joined.
     */
    void awaitSubscriptions(String project, int count) {
        Await.until(() -> broker.stats(project).subscriptions() >= count && sessionSubscriptions() >= count,
                () -> "expected " + count + " subscriptions of " + project + ", have "
                        + broker.stats(project).subscriptions() + " (sessions: " + sessionSubscriptions() + ")");
    }

    private long sessionSubscriptions() {
        return server.metrics().stream().filter(m -> m.name().equals("streams_subscriptions"))
                .mapToLong(MetricSample::value).sum();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        for (TestClient c : clients) {
            c.closeBlocking();
        }
        if (server != null) {
            server.close();
        }
        broker.close();
    }
}
