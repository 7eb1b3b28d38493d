package dev.streams.coap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import dev.streams.auth.NewDeviceCredential;
import dev.streams.auth.StreamsAuth;
import dev.streams.core.Await;
import dev.streams.core.Broker;
import dev.streams.core.Recorder;
import dev.streams.core.StartPosition;
import dev.streams.devices.DeviceTopics;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.serialization.UdpDataSerializer;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Devices as Californium's own client sees the endpoint: DTLS with a PSK, CBOR, batches, limits, retransmissions. */
class CaliforniumClientTest {
    private static final byte[] MASTER = "master-key-for-tests-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    private final StreamsAuth auth = StreamsAuth.builder().masterKey(MASTER).build();
    private final Broker broker = Broker.create();
    private final Recorder received = new Recorder();
    private CoapDeviceServer coap;
    private NewDeviceCredential thermostat;
    private CoapEndpoint client;

    @BeforeEach
    void start() {
        coap = CoapDeviceServer.builder(broker, auth).dtlsPort(0).plainPort(0).maxBodyBytes(512)
                .readingsPerDevice(5, 5).build().start();
        thermostat = auth.devices().create("p1", "thermostat");
        broker.subscribe("p1", DeviceTopics.ALL_DEVICES, StartPosition.latest(), received);
        client = dtlsClient(thermostat.identity(), thermostat.psk());
    }

    @AfterEach
    void stop() {
        client.destroy();
        coap.close();
        broker.close();
    }

    private static CoapEndpoint dtlsClient(String identity, String psk) {
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
        config.set(CoapConfig.MAX_RETRANSMIT, 1);
        DtlsConnectorConfig.Builder dtls = DtlsConnectorConfig.builder(config)
                .setAdvancedPskStore(new AdvancedSinglePskStore(identity, psk.getBytes(StandardCharsets.UTF_8)));
        return new CoapEndpoint.Builder().setConfiguration(config).setConnector(new DTLSConnector(dtls.build())).build();
    }

    private CoapResponse post(CoapEndpoint endpoint, String path, byte[] body, int format) throws Exception {
        return post(endpoint, path, body, format, 10_000L);
    }

    private CoapResponse post(CoapEndpoint endpoint, String path, byte[] body, int format, long timeoutMillis) throws Exception {
        CoapClient request = new CoapClient("coaps://127.0.0.1:" + coap.dtlsPort() + path);
        request.setEndpoint(endpoint);
        request.setTimeout(timeoutMillis);
        try {
            return request.post(body, format);
        } finally {
            request.shutdown();
        }
    }

    private static byte[] cbor(Object... keysAndValues) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator generator = new CBORFactory().createGenerator(out)) {
            generator.writeStartObject();
            for (int i = 0; i < keysAndValues.length; i += 2) {
                generator.writeFieldName((String) keysAndValues[i]);
                Object value = keysAndValues[i + 1];
                if (value instanceof Double d) {
                    generator.writeNumber(d);
                } else if (value instanceof Integer n) {
                    generator.writeNumber(n);
                } else {
                    generator.writeString(String.valueOf(value));
                }
            }
            generator.writeEndObject();
        }
        return out.toByteArray();
    }

    @Test
    void jsonCborAValueAtAPathAndABatchAreStoredInTheDevicesOwnStream() throws Exception {
        assertThat(post(client, "/.s", "{\"temp\":21.5}".getBytes(StandardCharsets.UTF_8), MediaTypeRegistry.APPLICATION_JSON)
                .getCode()).isEqualTo(CoAP.ResponseCode.CHANGED);
        assertThat(post(client, "/.s", cbor("temp", 22.5, "mode", "heat"), MediaTypeRegistry.APPLICATION_CBOR).getCode())
                .isEqualTo(CoAP.ResponseCode.CHANGED);
        assertThat(post(client, "/.s/env/humidity", "41".getBytes(StandardCharsets.UTF_8), MediaTypeRegistry.APPLICATION_JSON)
                .getCode()).isEqualTo(CoAP.ResponseCode.CHANGED);
        assertThat(post(client, "/.s", "[{\"temp\":1,\"t\":1700000000},{\"temp\":2,\"t\":1700000001}]"
                .getBytes(StandardCharsets.UTF_8), MediaTypeRegistry.APPLICATION_JSON).getCode()).isEqualTo(CoAP.ResponseCode.CHANGED);
        Await.until(() -> received.events.size() == 5, () -> "five readings, got " + received.payloads());
        assertThat(received.events).allSatisfy(e -> assertThat(e.topic()).isEqualTo(DeviceTopics.topicOf("thermostat")));
        assertThat(received.payloads()).containsExactly("{\"temp\":21.5}", "{\"temp\":22.5,\"mode\":\"heat\"}",
                "{\"env\":{\"humidity\":41}}", "{\"temp\":1}", "{\"temp\":2}");
        assertThat(coap.metrics()).containsEntry("streams_coap_readings_total", 5L);
    }

    @Test
    void badBodiesAreRefusedWithWhatIsWrongAndNothingIsStored() throws Exception {
        CoapResponse invalid = post(client, "/.s", "{\"temp\":".getBytes(StandardCharsets.UTF_8), MediaTypeRegistry.APPLICATION_JSON);
        assertThat(invalid.getCode()).isEqualTo(CoAP.ResponseCode.BAD_REQUEST);
        assertThat(invalid.getResponseText()).isNotBlank();
        assertThat(post(client, "/.s", new byte[] {(byte) 0xbf, 0x61}, MediaTypeRegistry.APPLICATION_CBOR).getCode())
                .isEqualTo(CoAP.ResponseCode.BAD_REQUEST);
        assertThat(post(client, "/.s", "x".getBytes(StandardCharsets.UTF_8), MediaTypeRegistry.TEXT_PLAIN).getCode())
                .isEqualTo(CoAP.ResponseCode.UNSUPPORTED_CONTENT_FORMAT);
        CoapResponse tooLarge = post(client, "/.s", ("{\"note\":\"" + "x".repeat(600) + "\"}").getBytes(StandardCharsets.UTF_8),
                MediaTypeRegistry.APPLICATION_JSON);
        assertThat(tooLarge.getCode()).isEqualTo(CoAP.ResponseCode.REQUEST_ENTITY_TOO_LARGE);
        assertThat(received.events).isEmpty();
        assertThat(coap.metrics().get("streams_coap_bad_requests_total")).isEqualTo(3L);
    }

    @Test
    void aDeviceOverItsRateIsToldWhenToComeBack() throws Exception {
        int changed = 0;
        CoapResponse limited = null;
        for (int i = 0; i < 10 && limited == null; i++) {
            CoapResponse response = post(client, "/.s", ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8),
                    MediaTypeRegistry.APPLICATION_JSON);
            if (response.getCode() == CoAP.ResponseCode.CHANGED) {
                changed++;
            } else {
                limited = response;
            }
        }
        assertThat(changed).isGreaterThanOrEqualTo(5);
        assertThat(limited).isNotNull();
        assertThat(limited.getCode()).isEqualTo(CoAP.ResponseCode.TOO_MANY_REQUESTS);
        assertThat(limited.getOptions().getMaxAge()).isPositive();
        assertThat(coap.metrics().get("streams_coap_rate_limited_total")).isEqualTo(1L);
        int stored = changed;
        Await.until(() -> received.events.size() == stored, () -> "stored " + received.payloads());
    }

    @Test
    void aRevokedDeviceIsRefusedOnItsNextRequestAndAStrangerCannotHandshake() throws Exception {
        assertThat(post(client, "/.s", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), MediaTypeRegistry.APPLICATION_JSON).getCode())
                .isEqualTo(CoAP.ResponseCode.CHANGED);
        auth.devices().revoke("p1", "thermostat");
        // The same DTLS session: the request itself is refused.
        assertThat(post(client, "/.s", "{\"a\":2}".getBytes(StandardCharsets.UTF_8), MediaTypeRegistry.APPLICATION_JSON).getCode())
                .isEqualTo(CoAP.ResponseCode.UNAUTHORIZED);
        // A key for another device, or for another project, does not get through the handshake.
        NewDeviceCredential other = auth.devices().create("p1", "door");
        CoapEndpoint impostor = dtlsClient("thermostat@p1", other.psk());
        CoapEndpoint otherProject = dtlsClient("door@p2", other.psk());
        try {
            // No answer at all: the handshake never completes (the wait is the client's, not a sleep).
            assertThat(post(impostor, "/.s", "{\"a\":3}".getBytes(StandardCharsets.UTF_8), MediaTypeRegistry.APPLICATION_JSON,
                    3_000L)).isNull();
            assertThat(post(otherProject, "/.s", "{\"a\":4}".getBytes(StandardCharsets.UTF_8), MediaTypeRegistry.APPLICATION_JSON,
                    3_000L)).isNull();
        } finally {
            impostor.destroy();
            otherProject.destroy();
        }
        assertThat(received.payloads()).containsExactly("{\"a\":1}");
        assertThat(coap.metrics().get("streams_coap_unknown_identities_total")).isPositive();
    }

    @Test
    void aConfirmableReadingWhoseAckWasLostIsStoredOnce() throws Exception {
        Request post = Request.newPost();
        post.setURI("coap://127.0.0.1:" + coap.plainPort() + "/.s?id=" + thermostat.identity() + "&key=" + thermostat.psk());
        post.setType(CoAP.Type.CON);
        post.setMID(4242);
        post.setToken(new byte[] {1, 2, 3, 4});
        post.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_JSON);
        post.setPayload("{\"once\":true}");
        byte[] datagram = new UdpDataSerializer().serializeRequest(post).getBytes();
        try (DatagramSocket device = new DatagramSocket()) {
            device.setSoTimeout(10_000);
            // The device sends, loses the acknowledgement, and sends the very same message again.
            for (int attempt = 0; attempt < 2; attempt++) {
                device.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), coap.plainPort()));
                DatagramPacket ack = new DatagramPacket(new byte[512], 512);
                device.receive(ack);
                int code = ack.getData()[1] & 0xff;
                assertThat(code >> 5).as("class of the answer to attempt " + attempt).isEqualTo(2);
                assertThat(code & 0x1f).isEqualTo(4);
            }
        }
        Await.until(() -> coap.metrics().get("streams_coap_duplicates_total") == 1L, () -> "duplicates " + coap.metrics());
        // The broker hands the stored reading to the test's subscriber on a thread of its own: wait for it.
        Await.until(() -> !received.events.isEmpty(), () -> "the reading, got " + received.payloads());
        assertThat(received.payloads()).containsExactly("{\"once\":true}");
    }

    @Test
    void anAddressHoldsAtMostItsShareOfSessions() throws Exception {
        coap.close();
        coap = CoapDeviceServer.builder(broker, auth).dtlsPort(0).maxSessionsPerAddress(2).build().start();
        List<CoapEndpoint> devices = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                NewDeviceCredential credential = auth.devices().create("p1", "sensor-" + i);
                devices.add(dtlsClient(credential.identity(), credential.psk()));
                assertThat(post(devices.get(i), "/.s", "{\"i\":1}".getBytes(StandardCharsets.UTF_8),
                        MediaTypeRegistry.APPLICATION_JSON).getCode()).isEqualTo(CoAP.ResponseCode.CHANGED);
            }
            NewDeviceCredential third = auth.devices().create("p1", "sensor-2");
            devices.add(dtlsClient(third.identity(), third.psk()));
            assertThat(post(devices.get(2), "/.s", "{\"i\":3}".getBytes(StandardCharsets.UTF_8),
                    MediaTypeRegistry.APPLICATION_JSON, 3_000L)).as("a third session from 127.0.0.1").isNull();
            assertThat(coap.metrics().get("streams_coap_sessions_refused_per_address_total")).isPositive();
            // The two sessions it holds keep working.
            assertThat(post(devices.get(0), "/.s", "{\"i\":2}".getBytes(StandardCharsets.UTF_8),
                    MediaTypeRegistry.APPLICATION_JSON).getCode()).isEqualTo(CoAP.ResponseCode.CHANGED);
        } finally {
            devices.forEach(CoapEndpoint::destroy);
        }
    }

    @Test
    void aProjectLimitAsksTheDeviceToSlowDownAndAClosedBrokerToComeBack() throws Exception {
        coap.close();
        broker.close();
        Broker limited = Broker.builder().projectLimits(dev.streams.core.ProjectLimits.DEFAULT.withMaxPublishRate(1)).build();
        coap = CoapDeviceServer.builder(limited, auth).dtlsPort(0).build().start();
        CoapResponse last = null;
        for (int i = 0; i < 5 && (last == null || last.getCode() == CoAP.ResponseCode.CHANGED); i++) {
            last = post(client, "/.s", "{\"n\":1}".getBytes(StandardCharsets.UTF_8), MediaTypeRegistry.APPLICATION_JSON);
        }
        assertThat(last.getCode()).isEqualTo(CoAP.ResponseCode.TOO_MANY_REQUESTS);
        assertThat(last.getOptions().getMaxAge()).isPositive();
        limited.close();
        CoapResponse closed = post(client, "/.s", "{\"n\":2}".getBytes(StandardCharsets.UTF_8), MediaTypeRegistry.APPLICATION_JSON);
        assertThat(closed.getCode()).isEqualTo(CoAP.ResponseCode.SERVICE_UNAVAILABLE);
        assertThat(closed.getOptions().getMaxAge()).isEqualTo(1L);
        assertThat(coap.metrics().get("streams_coap_unavailable_total")).isEqualTo(1L);
    }

    @Test
    void plainCoapWithoutTheDevicesKeyIsRefused() throws Exception {
        CoapClient noKey = new CoapClient("coap://127.0.0.1:" + coap.plainPort() + "/.s?id=" + thermostat.identity() + "&key=wrong");
        try {
            CoapResponse response = noKey.post("{\"x\":1}", MediaTypeRegistry.APPLICATION_JSON);
            assertThat(response.getCode()).isEqualTo(CoAP.ResponseCode.UNAUTHORIZED);
        } finally {
            noKey.shutdown();
        }
        assertThat(received.events).isEmpty();
        assertThat(List.of(coap.metrics().get("streams_coap_unauthenticated_total"))).containsExactly(1L);
    }
}
