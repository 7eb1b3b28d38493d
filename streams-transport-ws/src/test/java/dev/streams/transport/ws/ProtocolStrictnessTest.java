package dev.streams.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What RFC 9112 and RFC 6455 say a server must refuse, refused with the code they name: an HTTP version it does
 * not speak, reserved bits without an extension, broken close frames; and text that is not Unicode never stored.
 */
class ProtocolStrictnessTest extends ServerFixture {
    @BeforeEach
    void startServer() {
        start();
    }

    private RawSocket nativeSocket() throws Exception {
        RawSocket socket = new RawSocket(server.port(), "/v1/ws/native?x-api-key=" + alphaKey.key(), "", 65536);
        assertThat(socket.responseHead).startsWith("HTTP/1.1 101");
        return socket;
    }

    @Test
    void anHttpVersionOtherThanOneIsRefusedWith505() throws Exception {
        try (RawSocket future = RawSocket.plain(server.port(), "GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n")) {
            assertThat(future.readHttpHead()).startsWith("HTTP/1.1 505");
            assertThat(future.isClosedByServer()).isTrue();
        }
        try (RawSocket old = RawSocket.plain(server.port(), "GET /healthz HTTP/1.0\r\n\r\n")) {
            // A 1.1 server answers a 1.0 request in its own version (RFC 9110, 6.2).
            assertThat(old.readHttpHead()).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void reservedBitsWithoutANegotiatedExtensionAreAProtocolError() throws Exception {
        try (RawSocket socket = nativeSocket()) {
            byte[] frame = RawSocket.frame(0x1, true, "{\"type\":\"subscribe\",\"topic\":\"a\"}".getBytes(StandardCharsets.UTF_8));
            frame[0] |= 0x40;
            socket.send(frame);
            assertThat(socket.readCloseCode()).isEqualTo(1002);
        }
    }

    @Test
    void closeFramesWithAnInvalidCodeOrReasonAreAnsweredWith1002() throws Exception {
        try (RawSocket socket = nativeSocket()) {
            socket.send(RawSocket.frame(0x8, true, new byte[] {0x03, (byte) 0xE7}));
            assertThat(socket.readCloseCode()).isEqualTo(1002);
        }
        try (RawSocket socket = nativeSocket()) {
            socket.send(RawSocket.frame(0x8, true, new byte[] {0x03, (byte) 0xE8, (byte) 0xC3, 0x28}));
            assertThat(socket.readCloseCode()).isEqualTo(1002);
        }
        try (RawSocket socket = nativeSocket()) {
            socket.send(RawSocket.frame(0x1, true, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}));
            assertThat(socket.readCloseCode()).as("text that is not UTF-8").isEqualTo(1007);
        }
        try (RawSocket socket = nativeSocket()) {
            socket.send(RawSocket.frame(0x8, true, new byte[] {0x03, (byte) 0xE8, 'b', 'y', 'e'}));
            assertThat(socket.readCloseCode()).as("a valid close is echoed").isEqualTo(1000);
        }
    }

    private HttpResponse<String> postBytes(String path, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(http() + path)).header("x-api-key", alphaKey.key())
                .header("Authorization", "Bearer " + alphaKey.key())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bodiesThatAreNotUnicodeTextAreRefusedAndNothingIsStored() throws Exception {
        byte[] latin1 = "{\"temp\":\"21\u00b0C\"}".getBytes(StandardCharsets.ISO_8859_1);
        HttpResponse<String> ingest = postBytes("/v1/projects/alpha/devices/d1/ingest", latin1);
        assertThat(ingest.statusCode()).isEqualTo(400);
        assertThat(ingest.body()).contains("\"code\":3").contains("not UTF-8");
        HttpResponse<String> publish = postBytes("/v1/streams/Publish",
                "{\"topic\":\"t\",\"message\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(publish.statusCode()).isEqualTo(400);

        HttpResponse<String> surrogate = postBytes("/v1/projects/alpha/devices/d1/ingest",
                "{\"name\":\"\\ud800\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(surrogate.statusCode()).isEqualTo(400);
        assertThat(surrogate.body()).contains("unpaired surrogate");
        HttpResponse<String> surrogateKey = postBytes("/v1/projects/alpha/devices/d1/ingest",
                "{\"\\udc00x\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(surrogateKey.statusCode()).isEqualTo(400);
        HttpResponse<String> m3o = postBytes("/v1/streams/Publish",
                "{\"topic\":\"t\",\"message\":\"\\udbff\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(m3o.statusCode()).isEqualTo(400);
        assertThat(broker.stats("alpha").published()).isZero();

        // A pair is text, and is stored.
        HttpResponse<String> pair = postBytes("/v1/projects/alpha/devices/d1/ingest",
                "{\"emoji\":\"\\ud83d\\ude00\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(pair.statusCode()).isEqualTo(200);

        TestClient client = connect("/v1/ws/native?x-api-key=" + alphaKey.key());
        client.nextJson();
        client.send("{\"type\":\"publish\",\"id\":\"1\",\"topic\":\"t\",\"data\":{\"s\":\"\\ud800\"}}");
        assertThat(client.nextJson().get("code").getAsString()).isEqualTo("BAD_REQUEST");
        assertThat(broker.stats("alpha").published()).isEqualTo(1);
    }
}
