package dev.streams.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streams.protocol.ErrorCode;
import dev.streams.auth.Credentials;
import dev.streams.auth.NewApiKey;
import dev.streams.auth.Scope;
import dev.streams.auth.StreamsAuth;
import dev.streams.core.Await;
import dev.streams.core.Broker;
import dev.streams.core.HistoryLimits;
import dev.streams.transport.ws.StreamsServer;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Java client against a real server: delivery, publish, reconnect with resume, gaps, token refresh. */
class StreamsClientTest {
    private static final byte[] MASTER = "client-test-master-key-0123456789abc".getBytes(UTF_8);
    private final StreamsAuth auth = StreamsAuth.builder().masterKey(MASTER).build();
    private final NewApiKey key = auth.createKey("alpha", "full", EnumSet.allOf(Scope.class));
    private Broker broker = Broker.create();
    private StreamsServer server;
    private StreamsClient client;

    private StreamsServer startServer(int port) {
        server = StreamsServer.builder(broker, auth).port(port).build().start();
        return server;
    }

    private StreamsClient newClient(java.util.function.Supplier<String> credential) {
        client = StreamsClient.builder(URI.create("ws://127.0.0.1:" + server.port() + "/v1/ws/native"))
                .credential(credential).reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500)).build();
        return client.connect();
    }

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        broker.close();
    }

    static final class Collector implements EventHandler {
        final List<ClientEvent> events = new CopyOnWriteArrayList<>();
        final List<String> gaps = new CopyOnWriteArrayList<>();
        final List<String> refusals = new CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicInteger lives = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void onEvent(ClientEvent event) {
            events.add(event);
        }

        @Override
        public void onGap(String topic, long missed, String cause) {
            gaps.add(topic + ":" + missed + ":" + cause);
        }

        @Override
        public void onRefused(ErrorCode code, String message) {
            refusals.add(code.name());
        }

        @Override
        public void onLive() {
            lives.incrementAndGet();
        }

        List<String> bodies() {
            return events.stream().map(ClientEvent::body).toList();
        }
    }

    /**
     * Waits until the server made the client's subscription: its session counts it once the broker joined it to
     * its topic (the broker counts a subscription a moment earlier, before it joined, and a live subscription
     * does not get what is published before it joined).
     */
    private void awaitSubscribed() {
        await(() -> server.metrics().stream().anyMatch(m -> m.name().equals("streams_subscriptions")
                && "native".equals(m.labels().get("dialect")) && m.value() == 1), "subscribed");
    }

    static void await(BooleanSupplier condition, String what) {
        Await.until(condition::getAsBoolean, what);
    }

    @Test
    void subscribesPublishesAndReceives() throws Exception {
        startServer(0);
        newClient(key::key);
        Collector collector = new Collector();
        client.subscribe("rooms.*", collector);
        assertThat(client.awaitConnected(Duration.ofSeconds(10))).isTrue();
        assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
        awaitSubscribed();
        String cursor = client.publishJson("rooms.lobby", "{\"hello\":1}").get(10, TimeUnit.SECONDS);
        assertThat(cursor).matches("\\d+-1");
        client.publish("rooms.kitchen", "plain").get(10, TimeUnit.SECONDS);
        await(() -> collector.events.size() == 2, "two events");
        assertThat(collector.bodies()).containsExactly("{\"hello\":1}", "plain");
        assertThat(collector.events.get(0).isJson()).isTrue();
        assertThat(collector.events.get(1).isJson()).isFalse();

        // A publish retried with its idempotency key: the first cursor again, and no second event.
        String keyed = client.publishJson("rooms.lobby", "{\"order\":7}", "order-7").get(10, TimeUnit.SECONDS);
        assertThat(client.publishJson("rooms.lobby", "{\"order\":7}", "order-7").get(10, TimeUnit.SECONDS)).isEqualTo(keyed);
        await(() -> collector.events.size() == 3, "the keyed event, once");
        assertThat(client.publish("rooms.kitchen", "next").get(10, TimeUnit.SECONDS)).isNotEqualTo(keyed);
        await(() -> collector.events.size() == 4, "the next event");
        assertThat(collector.bodies()).containsExactly("{\"hello\":1}", "plain", "{\"order\":7}", "next");

        assertThatThrownBy(() -> client.publish("a..b", "x").join()).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(StreamsClientException.class);
        Collector refused = new Collector();
        NewApiKey reader = auth.createKey("alpha", "reader", EnumSet.of(Scope.SUBSCRIBE));
        client.close();
        newClient(reader::key).awaitConnected(Duration.ofSeconds(10));
        assertThatThrownBy(() -> client.publish("rooms.x", "no").join()).hasCauseInstanceOf(StreamsClientException.class)
                .hasMessageContaining("FORBIDDEN");
        client.close();
        String roomsOnly = auth.issueToken(auth.authenticate(Credentials.apiKey(key.key())), "alpha", List.of("rooms.*"),
                Duration.ofMinutes(5), Set.of(Scope.SUBSCRIBE));
        newClient(() -> roomsOnly).awaitConnected(Duration.ofSeconds(10));
        client.subscribe("other", refused);
        await(() -> refused.refusals.equals(List.of("FORBIDDEN")), "subscription outside the token refused");
    }

    @Test
    void saysWhenASubscriptionIsLiveAndAgainOnceAReconnectionResubscribedIt() throws Exception {
        int port = startServer(0).port();
        newClient(key::key);
        Collector collector = new Collector();
        client.subscribe("feed.*", collector);
        // No look at the server: the client's own word is enough to publish and expect the event.
        await(() -> collector.lives.get() == 1, "live");
        broker.publish("alpha", "feed.a", "1".getBytes(UTF_8));
        await(() -> collector.events.size() == 1, "the event published once live");

        server.close();
        await(() -> client.state() != ConnectionState.CONNECTED, "noticed the outage");
        startServer(port);
        await(() -> collector.lives.get() == 2, "live again after the reconnection");
        broker.publish("alpha", "feed.b", "2".getBytes(UTF_8));
        await(() -> collector.events.size() == 2, "the event published once live again");
        assertThat(collector.bodies()).containsExactly("1", "2");
        assertThat(collector.refusals).isEmpty();
    }

    @Test
    void reconnectsAfterTheServerRestartsAndResumesWithoutLossOrDuplicates() throws Exception {
        int port = startServer(0).port();
        newClient(key::key);
        Collector collector = new Collector();
        client.subscribe("feed.*", collector);
        client.awaitConnected(Duration.ofSeconds(10));
        awaitSubscribed();
        broker.publish("alpha", "feed.a", "1".getBytes(UTF_8));
        await(() -> collector.events.size() == 1, "first event");

        server.close();
        await(() -> client.state() != ConnectionState.CONNECTED, "noticed the outage");
        broker.publish("alpha", "feed.a", "2".getBytes(UTF_8));
        broker.publish("alpha", "feed.b", "3".getBytes(UTF_8));
        startServer(port);
        await(() -> collector.events.size() == 3, "missed events after reconnect");
        broker.publish("alpha", "feed.a", "4".getBytes(UTF_8));
        // A marker published last: once it is in, anything duplicated before it would be too.
        broker.publish("alpha", "feed.b", "marker".getBytes(UTF_8));
        await(() -> collector.bodies().contains("marker"), "the marker");
        assertThat(collector.bodies()).containsExactly("1", "2", "3", "4", "marker");
        assertThat(collector.gaps).isEmpty();
    }

    @Test
    void toldAboutAGapWhenHistoryNoLongerHoldsWhatWasMissed() throws Exception {
        broker.close();
        broker = Broker.builder().history(new HistoryLimits(2, 1 << 20, Duration.ofHours(1))).build();
        int port = startServer(0).port();
        newClient(key::key);
        Collector collector = new Collector();
        client.subscribe("t", collector);
        client.awaitConnected(Duration.ofSeconds(10));
        awaitSubscribed();
        broker.publish("alpha", "t", "1".getBytes(UTF_8));
        await(() -> collector.events.size() == 1, "first");
        server.close();
        await(() -> client.state() != ConnectionState.CONNECTED, "outage");
        for (int i = 2; i <= 6; i++) {
            broker.publish("alpha", "t", String.valueOf(i).getBytes(UTF_8));
        }
        startServer(port);
        await(() -> collector.events.size() == 3, "what history still had");
        assertThat(collector.bodies()).containsExactly("1", "5", "6");
        assertThat(collector.gaps).containsExactly("t:3:HISTORY_EXPIRED");
    }

    @Test
    void aPublishWhileDisconnectedFailsWithTheClientsOwnCode() throws Exception {
        int port = startServer(0).port();
        newClient(key::key).awaitConnected(Duration.ofSeconds(10));
        server.close();
        await(() -> client.state() != ConnectionState.CONNECTED, "noticed the outage");
        assertThatThrownBy(() -> client.publish("t", "x").join()).hasCauseInstanceOf(StreamsClientException.class)
                .cause().satisfies(e -> assertThat(((StreamsClientException) e).code())
                        .isEqualTo(ErrorCode.NOT_CONNECTED));
        startServer(port);
        assertThat(client.awaitConnected(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void aRefusedCredentialIsNotPresentedAgainUntilTheSupplierChangesIt() throws Exception {
        startServer(0);
        NewApiKey doomed = auth.createKey("alpha", "doomed", EnumSet.allOf(Scope.class));
        java.util.concurrent.atomic.AtomicReference<String> current = new java.util.concurrent.atomic.AtomicReference<>(doomed.key());
        AtomicInteger asked = new AtomicInteger();
        newClient(() -> {
            asked.incrementAndGet();
            return current.get();
        }).awaitConnected(Duration.ofSeconds(10));
        auth.revokeKey("alpha", doomed.metadata().id());
        await(() -> client.state() != ConnectionState.CONNECTED, "closed by the revocation");
        // The first reconnect presents the key once more and is refused (4401); after that the client only asks.
        int askedAfterRefusal = asked.get() + 1;
        await(() -> asked.get() >= askedAfterRefusal + 3, "the supplier asked again, three times");
        long nativeConnections = server.metrics().stream()
                .filter(m -> m.name().equals("streams_connections_total") && m.labels().containsValue("native"))
                .mapToLong(m -> (long) m.value()).sum();
        assertThat(nativeConnections).as("one connection, then the refused retry, then none").isLessThanOrEqualTo(2);
        current.set(key.key());
        assertThat(client.awaitConnected(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void theFirstSubscribeStartsLiveWhateverTheServersClockSays() throws Exception {
        broker.close();
        // The server's clock an hour ahead of this machine's: a 'since' from the client's clock would replay.
        java.time.Clock ahead = java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofHours(1));
        broker = Broker.builder().clock(ahead).build();
        startServer(0);
        broker.publish("alpha", "news", "before".getBytes(UTF_8));
        newClient(key::key);
        Collector collector = new Collector();
        client.subscribe("news", collector);
        client.awaitConnected(Duration.ofSeconds(10));
        awaitSubscribed();
        broker.publish("alpha", "news", "after".getBytes(UTF_8));
        await(() -> collector.events.size() >= 1, "the live event");
        assertThat(collector.bodies()).containsExactly("after");
    }

    @Test
    void refreshesItsTokenBeforeTheServerWouldCloseTheConnection() throws Exception {
        startServer(0);
        var issuer = auth.authenticate(Credentials.apiKey(key.key()));
        AtomicInteger issued = new AtomicInteger();
        newClient(() -> {
            issued.incrementAndGet();
            // 32 s tokens: the server warns 30 s before expiry, so one to two seconds after each connect or
            // refresh. Not 31: a token's expiry is whole seconds, rounded down by up to one, and a token with
            // less than 30 s left is warned about halfway through, after this test's wait.
            return auth.issueToken(issuer, "alpha", List.of(">"), Duration.ofSeconds(32), Set.of(Scope.SUBSCRIBE));
        });
        client.awaitConnected(Duration.ofSeconds(10));
        await(() -> issued.get() >= 3, "refreshed in band, twice");
        assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
    }
}
