package dev.streams.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.auth.StreamsAuth;
import dev.streams.core.Broker;
import dev.streams.transport.ws.StreamsServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StreamsMetricsBinderTest {
    @Test
    void aHostRegistrySeesTheServersCountersAndGauges() throws Exception {
        Broker broker = Broker.create();
        StreamsAuth auth = StreamsAuth.builder().masterKey(new byte[32]).build();
        try (StreamsServer server = StreamsServer.builder(broker, auth).port(0).build().start()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new StreamsMetricsBinder(server, Duration.ZERO).bindTo(registry);
            broker.publish("p", "t", "x".getBytes(StandardCharsets.UTF_8));
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(registry.get("streams.broker.published").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("streams.http.requests").functionCounter().count()).isGreaterThanOrEqualTo(1);
            assertThat(registry.get("streams.connections").tag("dialect", "golioth").gauge().value()).isZero();
            assertThat(registry.get("streams.jvm.heap.used.bytes").gauge().value()).isPositive();
        } finally {
            broker.close();
        }
    }
}
