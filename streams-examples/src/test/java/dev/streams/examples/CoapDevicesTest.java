package dev.streams.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.streams.auth.NewDeviceCredential;
import dev.streams.core.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Devices posting to the demo over CoAP/DTLS as real ones do: libcoap's {@code coap-client-openssl}, a client no
 * one here wrote, with a device's PSK; and the simulated devices over CoAP. A Golioth WebSocket subscriber and the
 * History REST see what they posted; wrong keys, projects and identities and oversize bodies are refused.
 */
class CoapDevicesTest {
    private static final Path COAP_CLIENT = Path.of("/usr/bin/coap-client-openssl");
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    private static String coapClient(String... args) {
        try {
            return runCoapClient(args);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String runCoapClient(String... args) throws Exception {
        if (!Files.isExecutable(COAP_CLIENT)) {
            throw new AssertionError("coap-client-openssl is not installed: install Debian's libcoap3-bin package "
                    + "(.ci/run installs it)");
        }
        List<String> command = new ArrayList<>(List.of(COAP_CLIENT.toString(), "-B", "2"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("coap-client finished").isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private String history(DemoServer demo, String device) {
        try {
            return historyOf(demo, device);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String historyOf(DemoServer demo, String device) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demo.port() + "/v1/projects/demo/devices/"
                + device + "/stream?interval=1h&perPage=100")).header("x-api-key", demo.apiKey()).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void libcoapPostsAsADeviceAndGoliothClientsSeeIt() throws Exception {
        DemoOptions options = new DemoOptions("127.0.0.1", 0, "demo", null, 2, 1, dataDir)
                .withCoap(new DemoOptions.Coap(0, -1, false));
        try (DemoServer demo = DemoServer.start(options)) {
            DemoCoap coap = demo.coap().orElseThrow();
            NewDeviceCredential device = coap.credentials().get(0);
            NewDeviceCredential other = coap.credentials().get(1);
            String deviceId = device.metadata().deviceId();
            String url = "coaps://127.0.0.1:" + coap.dtlsPort() + "/.s";
            try (Frames stream = new Frames(http, "ws://127.0.0.1:" + demo.port() + "/v1/ws/projects/demo/devices/"
                    + deviceId + "/stream?x-api-key=" + demo.apiKey())) {
                coapClient("-m", "post", "-u", device.identity(), "-k", device.psk(), "-t", "50", "-e", "{\"temp\":99.5}", url);
                JsonObject live;
                do {
                    live = stream.next().getAsJsonObject("result").getAsJsonObject("data");
                } while (!live.getAsJsonObject("data").has("temp") || live.getAsJsonObject("data").get("temp").getAsDouble() != 99.5);
                assertThat(live.get("deviceId").getAsString()).isEqualTo(deviceId);
            }
            // A single value at a path.
            coapClient("-m", "post", "-u", device.identity(), "-k", device.psk(), "-t", "50", "-e", "42", url + "/level");
            Await.until(() -> history(demo, deviceId).contains("\"level\":42"), "the value at /level in the History REST");

            // Refused: a wrong key, another project, another device's identity with this key, an oversize body.
            String wrongKey = coapClient("-m", "post", "-u", device.identity(), "-k", "not-the-key", "-t", "50",
                    "-e", "{\"wrong\":\"key\"}", url);
            String wrongProject = coapClient("-m", "post", "-u", device.metadata().deviceId() + "@elsewhere", "-k",
                    device.psk(), "-t", "50", "-e", "{\"wrong\":\"project\"}", url);
            String otherIdentity = coapClient("-m", "post", "-u", other.identity(), "-k", device.psk(), "-t", "50",
                    "-e", "{\"wrong\":\"device\"}", url);
            String oversize = coapClient("-m", "post", "-u", device.identity(), "-k", device.psk(), "-t", "50",
                    "-e", "{\"note\":\"" + "x".repeat(1500) + "\"}", url);
            String invalid = coapClient("-m", "post", "-u", device.identity(), "-k", device.psk(), "-t", "50",
                    "-e", "{\"temp\":", url);
            assertThat(oversize).contains("4.13");
            assertThat(invalid).contains("4.00");
            for (String refused : List.of(wrongKey, wrongProject, otherIdentity)) {
                assertThat(refused).doesNotContain("2.04").isNotBlank();
            }
            String stored = history(demo, deviceId) + history(demo, other.metadata().deviceId());
            assertThat(stored).doesNotContain("\"wrong\"").doesNotContain("xxxx");
            assertThat(demo.coapMetrics()).containsEntry("streams_coap_readings_total", 2L);
            // The same counters in the demo's /metrics, with what each counts.
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demo.port() + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("streams_coap_readings_total 2")
                    .contains("# HELP streams_coap_too_large_total Requests over the body limit (4.13).")
                    .contains("# TYPE streams_coap_devices_rate_tracked gauge");
        }
    }

    @Test
    void theKeysCommandGivesADeviceItsKeyAndRevokesItWhileTheDemoServes() throws Exception {
        DemoOptions options = new DemoOptions("127.0.0.1", 0, "demo", null, 0, 1, dataDir)
                .withCoap(new DemoOptions.Coap(0, -1, false));
        try (DemoServer demo = DemoServer.start(options)) {
            String url = "coaps://127.0.0.1:" + demo.coap().orElseThrow().dtlsPort() + "/.s";
            java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
            java.io.PrintStream out = new java.io.PrintStream(printed, true, StandardCharsets.UTF_8);
            assertThat(DemoKeys.run(out, System.err, "devices", "create", "boiler", "--data-dir", dataDir.toString()))
                    .isZero();
            String psk = printed.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("psk"))
                    .findFirst().orElseThrow().substring(4).strip();
            // The demo reads the credential file again within a fraction of a second.
            Await.until(() -> coapClient("-m", "post", "-u", "boiler@demo", "-k", psk, "-t", "50",
                    "-e", "{\"on\":1}", url).isBlank() && history(demo, "boiler").contains("\"on\":1"),
                    "the new device's reading stored");
            assertThat(DemoKeys.run(out, System.err, "devices", "list", "--data-dir", dataDir.toString())).isZero();
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("boiler@demo");
            assertThat(DemoKeys.run(out, System.err, "devices", "revoke", "boiler", "--data-dir", dataDir.toString()))
                    .isZero();
            // Refused once the demo has read the revocation (a fraction of a second), and from then on.
            Await.until(() -> !coapClient("-m", "post", "-u", "boiler@demo", "-k", psk, "-t", "50",
                    "-e", "{\"on\":2}", url).isBlank(), "the revoked device refused");
            assertThat(coapClient("-m", "post", "-u", "boiler@demo", "-k", psk, "-t", "50", "-e", "{\"on\":3}", url))
                    .isNotBlank();
            assertThat(history(demo, "boiler")).doesNotContain("\"on\":3");
        }
    }

    @Test
    void theSimulatedDevicesPostOverCoapLikeRealOnes() throws Exception {
        DemoOptions options = new DemoOptions("127.0.0.1", 0, "demo", null, 2, 10, dataDir)
                .withCoap(new DemoOptions.Coap(0, -1, true));
        try (DemoServer demo = DemoServer.start(options);
             Frames stream = new Frames(http, "ws://127.0.0.1:" + demo.port() + "/v1/ws/projects/demo/stream?x-api-key="
                     + demo.apiKey())) {
            Set<String> seen = new HashSet<>();
            while (seen.size() < 2) {
                seen.add(stream.next().getAsJsonObject("result").getAsJsonObject("data").get("deviceId").getAsString());
            }
            assertThat(seen).containsExactlyInAnyOrderElementsOf(demo.deviceIds());
            Await.until(() -> demo.coapMetrics().get("streams_coap_readings_total") >= 10, () -> "readings over CoAP: "
                    + demo.coapMetrics());
        }
    }
}
