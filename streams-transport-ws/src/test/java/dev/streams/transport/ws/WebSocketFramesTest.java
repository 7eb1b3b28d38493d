package dev.streams.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The session's frame handling over a raw socket, as RFC 6455 has it: the opening handshake's refusals,
 * fragmented messages (with a ping between fragments, answered at once), the message limit across fragments,
 * the close handshake from either side, and nothing of a session after its close frame.
 */
class WebSocketFramesTest extends ServerFixture {
    private static final int TEXT = 0x1;
    private static final int CONTINUATION = 0x0;
    private static final int BINARY = 0x2;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;

    private RawSocket nativeSocket() throws Exception {
        RawSocket socket = new RawSocket(server.port(), "/v1/ws/native?x-api-key=" + alphaKey.key(), "", 65536);
        assertThat(socket.responseHead).startsWith("HTTP/1.1 101");
        return socket;
    }

    /** Reads frames until one of {@code opcode}; returns its payload as text (null when the connection ended). */
    private static String next(RawSocket socket, int opcode) throws Exception {
        while (true) {
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            int[] header = socket.readFrameHeader(payload);
            if (header == null) {
                return null;
            }
            if (header[0] == opcode) {
                return payload.toString(StandardCharsets.UTF_8);
            }
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void handshakesWithAnUnsupportedVersionOrWithoutAKeyAreRefused() throws Exception {
        start();
        String path = "/v1/ws/native?x-api-key=" + alphaKey.key();
        try (RawSocket old = RawSocket.plain(server.port(), "GET " + path + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: MDEyMzQ1Njc4OWFiY2RlZg==\r\nSec-WebSocket-Version: 99\r\n\r\n")) {
            String head = old.readHttpHead();
            assertThat(head).startsWith("HTTP/1.1 426").containsIgnoringCase("sec-websocket-version: 13");
        }
        try (RawSocket hixie = RawSocket.plain(server.port(), "GET " + path + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key1: 4 @1  46546xW%0l 1 5\r\nSec-WebSocket-Key2: 12998 5 Y3 1  .P00\r\n\r\n^n:ds[4U")) {
            // (hixie-76 sends eight bytes of key after the head, which Netty's HTTP decoder knows to wait for)
            assertThat(hixie.readHttpHead()).as("a draft whose frames differ").startsWith("HTTP/1.1 426");
        }
        try (RawSocket keyless = RawSocket.plain(server.port(), "GET " + path + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n")) {
            assertThat(keyless.readHttpHead()).startsWith("HTTP/1.1 400");
            assertThat(keyless.isClosedByServer()).isTrue();
        }
        assertThat(broker.stats("alpha").published()).isZero();
    }

    @Test
    void aFragmentedMessageIsOneMessageAndAPingBetweenItsFragmentsIsAnsweredAtOnce() throws Exception {
        start();
        try (RawSocket socket = nativeSocket()) {
            String publish = "{\"type\":\"publish\",\"id\":\"f1\",\"topic\":\"frag\",\"data\":{\"n\":\"" + "z".repeat(300) + "\"}}";
            socket.send(RawSocket.frame(TEXT, false, utf8(publish.substring(0, 10))));
            socket.send(RawSocket.frame(PING, true, utf8("are you there")));
            assertThat(next(socket, PONG)).isEqualTo("are you there");
            socket.send(RawSocket.frame(CONTINUATION, false, utf8(publish.substring(10, 200))));
            socket.send(RawSocket.frame(CONTINUATION, true, utf8(publish.substring(200))));
            String reply;
            do {
                reply = next(socket, TEXT);
            } while (reply != null && !reply.contains("\"f1\""));
            assertThat(reply).as("the publish's acknowledgement").contains("\"f1\"");
            assertThat(broker.stats("alpha").published()).isEqualTo(1);
        }
    }

    @Test
    void fragmentsThatTogetherPassTheMessageLimitEndTheSessionWith1009() throws Exception {
        start(b -> b.maxFrameBytes(1024).maxMessageBytes(2048));
        try (RawSocket socket = nativeSocket()) {
            String start = "{\"type\":\"publish\",\"id\":\"big\",\"topic\":\"t\",\"data\":\"";
            socket.send(RawSocket.frame(TEXT, false, utf8(start + "a".repeat(900))));
            socket.send(RawSocket.frame(CONTINUATION, false, utf8("b".repeat(1000))));
            socket.send(RawSocket.frame(CONTINUATION, true, utf8("c".repeat(1000) + "\"}")));
            assertThat(socket.readCloseCode()).isEqualTo(1009);
            assertThat(socket.isClosedByServer()).isTrue();
        }
        assertThat(broker.stats("alpha").published()).isZero();
    }

    @Test
    void aCloseFromTheClientIsAnsweredAndEndsTheConnection() throws Exception {
        start();
        try (RawSocket socket = nativeSocket()) {
            socket.send(RawSocket.frame(CLOSE, true, new byte[0]));
            assertThat(socket.readCloseCode()).as("an empty close is answered empty").isEqualTo(1005);
            assertThat(socket.isClosedByServer()).isTrue();
        }
        try (RawSocket socket = nativeSocket()) {
            socket.send(RawSocket.frame(CLOSE, true, new byte[] {0x0F, (byte) 0xA0, 'b', 'y', 'e'}));
            assertThat(socket.readCloseCode()).as("the client's code is echoed").isEqualTo(4000);
            assertThat(socket.isClosedByServer()).isTrue();
        }
    }

    @Test
    void nothingOfTheSessionFollowsItsCloseFrame() throws Exception {
        start();
        try (RawSocket socket = nativeSocket()) {
            // One write: a frame the session refuses (1003), then a publish that must not be taken.
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.write(RawSocket.frame(BINARY, true, new byte[] {1, 2, 3}));
            both.write(RawSocket.frame(TEXT, true, utf8("{\"type\":\"publish\",\"id\":\"late\",\"topic\":\"t\",\"data\":1}")));
            socket.send(both.toByteArray());
            assertThat(socket.readCloseCode()).isEqualTo(1003);
            ByteArrayOutputStream after = new ByteArrayOutputStream();
            assertThat(socket.readFrameHeader(after)).as("no frame after the close frame").isNull();
        }
        assertThat(broker.stats("alpha").published()).isZero();
    }
}
