package dev.streams.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.core.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bounds on what a source or a client without a credential may hold, over real sockets from several loopback
 * addresses (each one a different source to the server): per-address limits, trusted proxies, the cap on
 * connections without a credential, the authentication timeout, keep-alive caps, and credentials checked before
 * a body is read.
 */
class ConnectionLimitsTest extends ServerFixture {
    private static final String HEALTH = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    private final List<RawSocket> sockets = new ArrayList<>();

    @AfterEach
    void closeSockets() throws Exception {
        for (RawSocket socket : sockets) {
            socket.close();
        }
    }

    private RawSocket open(String from, String request) throws Exception {
        RawSocket socket = RawSocket.from(from, server.port(), request);
        sockets.add(socket);
        return socket;
    }

    private String authorizedGet(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\nx-api-key: " + alphaKey.key() + "\r\n\r\n";
    }

    /** A request with a credential: a device reading. */
    private String ingest() {
        return "POST /v1/projects/alpha/devices/d1/ingest HTTP/1.1\r\nHost: x\r\nx-api-key: " + alphaKey.key()
                + "\r\nContent-Type: application/json\r\nContent-Length: 8\r\n\r\n{\"t\":21}";
    }

    @Test
    void oneAddressHoldsAtMostItsShareAndOtherAddressesAreUnaffected() throws Exception {
        start(b -> b.connectionLimits(ConnectionLimits.builder().maxPerAddress(3).build()));
        for (int i = 0; i < 3; i++) {
            assertThat(open("127.0.0.2", HEALTH).readHttpResponse()).startsWith("HTTP/1.1 200");
        }
        String refused = open("127.0.0.2", HEALTH).readHttpResponse();
        assertThat(refused).startsWith("HTTP/1.1 429").contains("too many connections from your address");
        assertThat(open("127.0.0.3", HEALTH).readHttpResponse()).startsWith("HTTP/1.1 200");
        assertThat(metric("streams_connections_refused_per_address_total")).isEqualTo(1);

        // A place freed is a place again.
        sockets.get(0).close();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String again;
        do {
            again = open("127.0.0.2", HEALTH).readHttpResponse();
        } while (!again.startsWith("HTTP/1.1 200") && System.nanoTime() < deadline);
        assertThat(again).startsWith("HTTP/1.1 200");
    }

    @Test
    void aWebSocketSessionKeepsItsPlacesUntilItsConnectionCloses() throws Exception {
        start(b -> b.connectionLimits(ConnectionLimits.builder().maxPerAddress(2).build()));
        String upgrade = "GET /v1/ws/native?x-api-key=" + alphaKey.key() + " HTTP/1.1\r\nHost: x\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        String nativeOpen = "streams_connections{dialect=\"native\"}";
        RawSocket first = open("127.0.0.9", upgrade);
        assertThat(first.readHttpResponse()).startsWith("HTTP/1.1 101");
        assertThat(open("127.0.0.9", upgrade).readHttpResponse()).startsWith("HTTP/1.1 101");
        // Sessions hold their address's places for as long as they are open, not just through the handshake.
        Await.until(() -> metric(nativeOpen) == 2, "both sessions counted as native connections");
        assertThat(open("127.0.0.9", upgrade).readHttpResponse()).startsWith("HTTP/1.1 429");

        first.close();
        Await.until(() -> metric(nativeOpen) == 1, "the closed session's connection no longer counted");
        assertThat(open("127.0.0.9", upgrade).readHttpResponse()).startsWith("HTTP/1.1 101");
    }

    @Test
    void behindATrustedProxyTheForwardedClientAddressCounts() throws Exception {
        start(b -> b.connectionLimits(ConnectionLimits.builder().maxPerAddress(2)
                .trustedProxies(List.of("127.0.0.4/32", "10.0.0.0/8")).build()));
        String fromClient = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.7, 10.1.2.3\r\n\r\n";
        assertThat(open("127.0.0.4", fromClient).readHttpResponse()).startsWith("HTTP/1.1 200");
        assertThat(open("127.0.0.4", fromClient).readHttpResponse()).startsWith("HTTP/1.1 200");
        assertThat(open("127.0.0.4", fromClient).readHttpResponse()).startsWith("HTTP/1.1 429");
        String otherClient = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 198.51.100.1\r\n\r\n";
        assertThat(open("127.0.0.4", otherClient).readHttpResponse()).startsWith("HTTP/1.1 200");
        // An untrusted peer's forwarding header is not believed: it counts under its own address.
        assertThat(open("127.0.0.5", otherClient).readHttpResponse()).startsWith("HTTP/1.1 200");
        assertThat(open("127.0.0.5", otherClient).readHttpResponse()).startsWith("HTTP/1.1 200");
        assertThat(open("127.0.0.5", otherClient).readHttpResponse()).startsWith("HTTP/1.1 429");
    }

    @Test
    void connectionsWithoutACredentialHaveASmallerCapAndAuthenticatingFreesTheirPlace() throws Exception {
        start(b -> b.connectionLimits(ConnectionLimits.builder().maxUnauthenticated(2).build()));
        RawSocket first = open("127.0.0.6", HEALTH);
        assertThat(first.readHttpResponse()).startsWith("HTTP/1.1 200");
        // The JDK client's connection for /metrics is the second; the next one is over the cap.
        assertThat(metric("streams_connections_unauthenticated")).isEqualTo(2);
        assertThat(open("127.0.0.7", HEALTH).readHttpResponse()).startsWith("HTTP/1.1 503")
                .contains("too many connections without a credential");

        first.send(ingest().getBytes());
        assertThat(first.readHttpResponse()).startsWith("HTTP/1.1 200");
        assertThat(open("127.0.0.7", HEALTH).readHttpResponse()).startsWith("HTTP/1.1 200");
        assertThat(metric("streams_connections_refused_unauthenticated_total")).isEqualTo(1);
    }

    @Test
    void aConnectionWithoutACredentialLivesOnlyForTheAuthenticationTimeout() throws Exception {
        start(b -> b.connectionLimits(ConnectionLimits.builder().authenticationTimeout(Duration.ofMillis(300)).build()));
        RawSocket prober = open("127.0.0.8", HEALTH);
        long opened = System.nanoTime();
        String answer = prober.readHttpResponse();
        // Each answer within the timeout keeps the connection; the first after it closes it.
        while (!answer.toLowerCase().contains("connection: close")) {
            assertThat(answer).as("an answer, not the end of the connection").startsWith("HTTP/1.1 200");
            Thread.sleep(20); // paced: well under the cap of answers per connection
            prober.send(HEALTH.getBytes());
            answer = prober.readHttpResponse();
        }
        assertThat(System.nanoTime() - opened).isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
        assertThat(prober.isClosedByServer()).isTrue();

        // One that waits between requests is closed after the timeout, not the request timeout (30 s).
        RawSocket idle = open("127.0.0.8", HEALTH);
        assertThat(idle.readHttpResponse()).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: keep-alive");
        long answered = System.nanoTime();
        assertThat(idle.isClosedByServer()).isTrue();
        assertThat(System.nanoTime() - answered).isLessThan(Duration.ofSeconds(5).toNanos());

        // An m3o socket must send its SubscribeRequest (its credential) within it too.
        TestClient m3o = connect("/v1/streams/Subscribe");
        assertThat(m3o.awaitClose().closeCode).isEqualTo(4408);
        // An authenticated connection keeps going.
        RawSocket tenant = open("127.0.0.9", ingest());
        assertThat(tenant.readHttpResponse()).startsWith("HTTP/1.1 200");
        long start = System.nanoTime();
        while (System.nanoTime() - start < Duration.ofMillis(600).toNanos()) {
            Thread.sleep(50); // paced: well under the cap of answers per connection
            tenant.send(HEALTH.getBytes());
            assertThat(tenant.readHttpResponse()).containsIgnoringCase("connection: keep-alive");
        }
    }

    @Test
    void keepAliveConnectionsEndAfterTheirRequestCapAndAge() throws Exception {
        start(b -> b.connectionLimits(ConnectionLimits.builder().maxRequestsPerConnection(3)
                .maxConnectionAge(Duration.ofMillis(400)).build()));
        String request = authorizedGet("/healthz");
        RawSocket counted = open("127.0.0.10", request);
        assertThat(counted.readHttpResponse()).containsIgnoringCase("connection: keep-alive");
        counted.send(request.getBytes());
        assertThat(counted.readHttpResponse()).containsIgnoringCase("connection: keep-alive");
        counted.send(request.getBytes());
        assertThat(counted.readHttpResponse()).containsIgnoringCase("connection: close");
        assertThat(counted.isClosedByServer()).isTrue();

        RawSocket aging = open("127.0.0.10", ingest());
        long opened = System.nanoTime();
        assertThat(aging.readHttpResponse()).containsIgnoringCase("connection: keep-alive");
        aging.send(request.getBytes());
        String answer = aging.readHttpResponse();
        if (answer.toLowerCase().contains("keep-alive")) {
            // Younger than its age cap still; the one after it closes at the latest.
            Thread.sleep(Math.max(0, 450 - (System.nanoTime() - opened) / 1_000_000));
            aging.send(request.getBytes());
            answer = aging.readHttpResponse();
        }
        assertThat(answer).containsIgnoringCase("connection: close");
        assertThat(metric("streams_connections_ended_by_rule_total")).isEqualTo(2);
    }

    @Test
    void aRefusedCredentialIsAnsweredBeforeTheBodyIsSent() throws Exception {
        start();
        RawSocket publish = open("127.0.0.11", "POST /v1/streams/Publish HTTP/1.1\r\nHost: x\r\n"
                + "Authorization: Bearer stk_0123456789abcdef_notarealsecretatall\r\nContent-Length: 900000\r\n\r\n");
        String answer = publish.readHttpResponse();
        assertThat(answer).startsWith("HTTP/1.1 401").contains("\"id\":\"UNAUTHORIZED\"");
        assertThat(publish.isClosedByServer()).isTrue();

        RawSocket ingest = open("127.0.0.11", "POST /v1/projects/alpha/devices/d1/ingest HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
        assertThat(ingest.readHttpResponse()).startsWith("HTTP/1.1 401").contains("\"code\":16");
        RawSocket history = open("127.0.0.11", "POST /v1/projects/alpha/stream HTTP/1.1\r\nHost: x\r\n"
                + "x-api-key: " + betaKey.key() + "\r\nContent-Length: 500000\r\n\r\n");
        assertThat(history.readHttpResponse()).startsWith("HTTP/1.1 403").contains("\"code\":7");
    }
}
