package dev.streams.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.streams.auth.Scope;
import dev.streams.auth.StreamsAuth;
import dev.streams.core.Broker;
import dev.streams.core.Event;
import dev.streams.core.Position;
import dev.streams.history.SqlHistoryStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reconnect storm on the durable default: a few hundred native clients, each holding a cursor, subscribe at
 * once to a server that has just restarted (nothing of their topics in memory, so each must read the store).
 * None is refused; each gets exactly the events after its cursor, then live ones. A second storm at the live end
 * is answered from memory, on the event loops, without the replay threads.
 */
class ReconnectStormTest {
    private static final int TOPICS = 10;
    private static final int EVENTS = 20;
    private static final int CLIENTS = 300;

    @TempDir
    Path dir;

    @Test
    void clientsResumingAtOnceAfterARestartAreAllServedExactly() throws Exception {
        StreamsAuth auth = StreamsAuth.builder().masterKey(ServerFixture.MASTER).build();
        String key = auth.createKey("alpha", "k", EnumSet.allOf(Scope.class)).key();
        List<Position> positions = new ArrayList<>();
        try (SqlHistoryStore store = SqlHistoryStore.sqlite(dir).build()) {
            Broker broker = Broker.builder().historyStore(store).build();
            for (int i = 0; i < EVENTS; i++) {
                for (int t = 0; t < TOPICS; t++) {
                    Event e = broker.publish("alpha", "t" + t, ("t" + t + "-" + (i + 1)).getBytes(StandardCharsets.UTF_8));
                    if (i == 0) {
                        positions.add(e.position());
                    }
                }
            }
            broker.close();
        }
        // The restart: a new store, broker and server on the same directory; no topic is in memory.
        try (SqlHistoryStore store = SqlHistoryStore.sqlite(dir).build()) {
            Broker broker = Broker.builder().historyStore(store).build();
            try (StreamsServer server = StreamsServer.builder(broker, auth).port(0).replayThreads(2).build().start()) {
                String url = "ws://127.0.0.1:" + server.port() + "/v1/ws/native?x-api-key=" + key;
                List<TestClient> clients = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    TestClient client = TestClient.connect(url);
                    assertThat(client.nextJson().get("type").getAsString()).isEqualTo("welcome");
                    clients.add(client);
                }
                for (int c = 0; c < CLIENTS; c++) {
                    int topic = c % TOPICS;
                    long after = c % EVENTS;
                    String cursor = new Position(positions.get(topic).epoch(), after).cursor();
                    clients.get(c).send("{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"t" + topic
                            + "\",\"resume\":{\"t" + topic + "\":\"" + cursor + "\"}}");
                }
                for (int c = 0; c < CLIENTS; c++) {
                    TestClient client = clients.get(c);
                    JsonObject ack = client.nextJson();
                    assertThat(ack.get("type").getAsString()).as("client %d: %s", c, ack).isEqualTo("ack");
                    int topic = c % TOPICS;
                    for (long offset = c % EVENTS + 1; offset <= EVENTS; offset++) {
                        JsonObject event = client.nextJson();
                        assertThat(event.get("text").getAsString()).as("client %d", c).isEqualTo("t" + topic + "-" + offset);
                    }
                }
                for (int t = 0; t < TOPICS; t++) {
                    broker.publish("alpha", "t" + t, ("t" + t + "-live").getBytes(StandardCharsets.UTF_8));
                }
                for (int c = 0; c < CLIENTS; c++) {
                    assertThat(clients.get(c).nextJson().get("text").getAsString()).isEqualTo("t" + (c % TOPICS) + "-live");
                }
                String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + server.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).contains("streams_replays_refused_total 0");

                // Everyone reconnects at the live end: the topics are in memory now, so memory answers every one.
                long fromMemory = counter(server, "streams_replays_from_memory_total");
                for (int c = 0; c < CLIENTS; c++) {
                    int topic = c % TOPICS;
                    String cursor = new Position(positions.get(topic).epoch(), EVENTS + 1).cursor();
                    clients.get(c).send("{\"type\":\"subscribe\",\"id\":\"again\",\"topic\":\"t" + topic
                            + "\",\"resume\":{\"t" + topic + "\":\"" + cursor + "\"}}");
                }
                for (TestClient client : clients) {
                    assertThat(client.nextJson().get("id").getAsString()).isEqualTo("again");
                }
                assertThat(counter(server, "streams_replays_from_memory_total") - fromMemory).isEqualTo(CLIENTS);
                for (TestClient client : clients) {
                    client.closeBlocking();
                }
            } finally {
                broker.close();
            }
        }
    }

    private static long counter(StreamsServer server, String name) throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ")) {
                return (long) Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError(name + " not in /metrics");
    }
}
