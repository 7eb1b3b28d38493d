package dev.streams.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.auth.Scope;
import dev.streams.auth.StreamsAuth;
import dev.streams.transport.ws.StreamsServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.File;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample as its users run it: Streams on a free port, used over real sockets (the JDK's HTTP and WebSocket
 * clients); Actuator's health and metrics; and the class path holding Spring Boot's own Netty and Jackson.
 */
@SpringBootTest(properties = {"streams.server.port=0", "sample.thermostat.interval=100ms"})
class SpringSampleApplicationTest {
    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) {
        registry.add("streams.data-dir", () -> dataDir.toString());
    }

    @Autowired
    StreamsServer server;
    @Autowired
    StreamsAuth auth;
    @Autowired
    HealthEndpoint health;
    @Autowired
    MeterRegistry meters;

    private final HttpClient http = HttpClient.newHttpClient();

    private String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    @Test
    void theThermostatsReadingsAreStreamedAndQueriedOverTheStartersServer() throws Exception {
        String key = auth.createKey("sample", "test", EnumSet.allOf(Scope.class)).key();
        LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket socket = http.newWebSocketBuilder().buildAsync(
                URI.create("ws://127.0.0.1:" + server.port() + "/v1/ws/projects/sample/stream?x-api-key=" + key),
                new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            frames.add(partial.toString());
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        try {
            String live = frames.poll(15, TimeUnit.SECONDS);
            assertThat(live).as("a live reading").isNotNull().contains("\"temp\":").contains("thermostat");
            HttpResponse<String> ingest = http.send(HttpRequest.newBuilder(URI.create(url(
                            "/v1/projects/sample/devices/door/ingest"))).header("x-api-key", key)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"open\":true}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ingest.statusCode()).isEqualTo(200);
            HttpResponse<String> history = http.send(HttpRequest.newBuilder(URI.create(url(
                            "/v1/projects/sample/devices/door/stream?interval=1h"))).header("x-api-key", key).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(history.statusCode()).isEqualTo(200);
            assertThat(history.body()).contains("\"open\":true");
        } finally {
            socket.abort();
        }
    }

    @Test
    void theApplicationsOwnEndpointSharesThePortAndBadCredentialsAreRefused() throws Exception {
        HttpResponse<String> projects = http.send(HttpRequest.newBuilder(URI.create(url("/api/projects"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(projects.statusCode()).isEqualTo(200);
        assertThat(projects.body()).matches("\\{\"projects\":[0-9]+}");
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(url("/v1/streams/Publish")))
                .header("Authorization", "Bearer not-a-key")
                .POST(HttpRequest.BodyPublishers.ofString("{\"topic\":\"t\",\"message\":\"m\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
    }

    @Test
    void actuatorSeesStreamsHealthAndMetrics() {
        var streams = health.healthForPath("streams");
        assertThat(streams).isNotNull();
        assertThat(streams.getStatus().getCode()).isEqualTo("UP");
        assertThat(meters.getMeters()).anySatisfy(meter -> assertThat(meter.getId().getName()).startsWith("streams"));
    }

    @Test
    void theStarterLeftSpringBootsNettyAndJacksonVersionsAlone() throws Exception {
        Properties boot = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/boot-versions.properties")) {
            boot.load(in);
        }
        List<String> jars = List.of(System.getProperty("java.class.path").split(File.pathSeparator));
        assertVersions(jars, "/io/netty/", "netty-(?!tcnative)[a-z0-9-]+", boot.getProperty("netty"));
        assertVersions(jars, "/tools/jackson/", "jackson-[a-z0-9-]+", boot.getProperty("jackson"));
        assertVersions(jars, "/com/fasterxml/jackson/", "jackson-(?!annotations)[a-z0-9-]+", boot.getProperty("jackson2"));
        assertVersions(jars, "/io/micrometer/", "micrometer-(?:core|observation|commons)", boot.getProperty("micrometer"));
    }

    /** Every jar of that group and name pattern on the class path has Spring Boot's version, and there is one. */
    private static void assertVersions(List<String> jars, String groupPath, String name, String version) {
        assertThat(version).as("Spring Boot's managed version of " + groupPath).doesNotContain("@");
        Pattern jar = Pattern.compile(".*" + Pattern.quote(groupPath) + "(?:.*/)?(" + name + ")/([^/]+)/[^/]+\\.jar");
        List<String> found = jars.stream().map(path -> path.replace(File.separatorChar, '/'))
                .map(jar::matcher).filter(Matcher::matches).map(m -> m.group(1) + " " + m.group(2)).toList();
        if (!groupPath.equals("/com/fasterxml/jackson/")) {
            assertThat(found).as("jars under " + groupPath).isNotEmpty();
        }
        assertThat(found).allSatisfy(artifact -> assertThat(artifact).endsWith(" " + version));
    }
}
