package dev.streams.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.auth.Credentials;
import dev.streams.auth.MasterKeyFile;
import dev.streams.auth.Scope;
import dev.streams.auth.StreamsAuth;
import dev.streams.core.Broker;
import dev.streams.core.HistoryStore;
import dev.streams.devices.DeviceTopics;
import dev.streams.history.SqlHistoryStore;
import dev.streams.micrometer.StreamsMetricsBinder;
import dev.streams.transport.ws.HttpReply;
import dev.streams.transport.ws.StreamsServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The auto-configuration in a real application context, with its server on a free port, used over sockets. */
class StreamsAutoConfigurationTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(StreamsAutoConfiguration.class))
                .withPropertyValues("streams.data-dir=" + dataDir, "streams.server.port=0");
    }

    private HttpResponse<String> get(StreamsServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> ingest(StreamsServer server, String key, String device, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/v1/projects/p1/devices/" + device + "/ingest")).header("x-api-key", key)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String key(StreamsAuth auth) {
        return auth.createKey("p1", "test", EnumSet.allOf(Scope.class)).key();
    }

    @Test
    void defaultsServeDurablyFromTheDataDirectoryAndDrainOnClose() throws Exception {
        int[] port = new int[1];
        TextFrames[] stream = new TextFrames[1];
        String[] apiKey = new String[1];
        runner().run(context -> {
            assertThat(context).hasSingleBean(StreamsAuth.class).hasSingleBean(SqlHistoryStore.class)
                    .hasSingleBean(Broker.class).hasSingleBean(StreamsServer.class);
            StreamsServer server = context.getBean(StreamsServer.class);
            port[0] = server.port();
            assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
            assertThat(Files.exists(dataDir.resolve(MasterKeyFile.NAME))).isTrue();
            String key = key(context.getBean(StreamsAuth.class));
            apiKey[0] = key;
            stream[0] = new TextFrames(http, "ws://127.0.0.1:" + server.port() + "/v1/ws/projects/p1/stream?x-api-key=" + key);
            // The stream is live once it is open: a reading ingested right away is on it.
            assertThat(ingest(server, key, "d1", "{\"temp\":21.5}").statusCode()).isEqualTo(200);
            assertThat(stream[0].next()).contains("\"temp\":21.5").contains("d1");
        });
        // The context closed: the stream was told to come back later, and the port is free.
        assertThat(stream[0].closedWith.get(10, TimeUnit.SECONDS)).isEqualTo(1001);
        try {
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port[0] + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            throw new AssertionError("the server still answers after the context closed");
        } catch (ConnectException expected) {
            // nothing listens any more
        }
        // A second start over the same data directory keeps the API key and the history.
        runner().run(context -> {
            StreamsServer server = context.getBean(StreamsServer.class);
            assertThat(context.getBean(StreamsAuth.class).authenticate(Credentials.apiKey(apiKey[0])).project())
                    .isEqualTo("p1");
            assertThat(context.getBean(Broker.class).latestPosition("p1", DeviceTopics.topicOf("d1"))).isPresent();
            assertThat(server.port()).isPositive();
        });
    }

    @Test
    void offWhenDisabled() {
        runner().withPropertyValues("streams.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(StreamsServer.class).doesNotHaveBean(Broker.class)
                        .doesNotHaveBean(StreamsAuth.class));
    }

    @Test
    void theApplicationsOwnBeansReplaceOurs() {
        runner().withBean(Broker.class, Broker::create).run(context -> {
            assertThat(context).hasSingleBean(Broker.class);
            assertThat(context.getBean(StreamsServer.class)).isNotNull();
            assertThat(context.getBean(Broker.class).historyStatus()).isEqualTo(HistoryStore.Status.OK);
        });
        runner().withPropertyValues("streams.history.store=memory").run(context ->
                assertThat(context).doesNotHaveBean(HistoryStore.class).hasSingleBean(Broker.class));
    }

    @Test
    void aHostsEndpointIsServedOnTheSamePort() {
        runner().withBean("hello", StreamsServerCustomizer.class, () -> builder ->
                builder.endpoint("/api/hello", call -> HttpReply.json(200, "{\"hello\":\"" + call.method() + "\"}")))
                .run(context -> {
                    HttpResponse<String> reply = get(context.getBean(StreamsServer.class), "/api/hello");
                    assertThat(reply.statusCode()).isEqualTo(200);
                    assertThat(reply.body()).isEqualTo("{\"hello\":\"GET\"}");
                });
    }

    @Test
    void healthAndMetricsWhenTheHostHasActuator() {
        runner().run(context -> {
            Health health = context.getBean("streamsHealthIndicator", HealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("history", "ok").containsEntry("cluster", "not clustered");
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(StreamsMetricsBinder.class).bindTo(registry);
            assertThat(registry.getMeters()).anySatisfy(meter -> assertThat(meter.getId().getName()).startsWith("streams"));
        });
        runner().withPropertyValues("management.health.streams.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(StreamsHealthIndicator.class));
        runner().withClassLoader(new FilteredClassLoader(HealthIndicator.class, io.micrometer.core.instrument.binder.MeterBinder.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(StreamsHealthIndicator.class)
                        .doesNotHaveBean(StreamsMetricsBinder.class).hasSingleBean(StreamsServer.class));
    }

    @Test
    void propertiesAreDescribedForIdes() throws IOException {
        try (var metadata = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(metadata).as("generated configuration metadata").isNotNull();
            String json = new String(metadata.readAllBytes());
            assertThat(json).contains("\"streams.data-dir\"", "\"streams.server.port\"", "\"streams.history.store\"",
                    "\"streams.cluster.redis-uri\"", "The data directory: the master key");
        }
    }
}
