package dev.streams.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.streams.auth.NewApiKey;
import dev.streams.auth.Scope;
import dev.streams.auth.StreamsAuth;
import dev.streams.core.Broker;
import dev.streams.core.Event;
import dev.streams.core.HistoryLimits;
import dev.streams.core.HistoryStore;
import dev.streams.core.TopicHistory;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * A subscription that replays history from a store whose reads block (a database) is made on the server's
 * replay threads: no store read runs on an event loop, and the client still gets its ack first, then the
 * replay, then live events.
 */
class ReplayOffTheEventLoopTest {
    @Test
    void replaysReadHistoryOnReplayThreadsNotEventLoops() throws Exception {
        Set<String> readers = ConcurrentHashMap.newKeySet();
        HistoryStore memory = HistoryStore.inMemory(HistoryLimits.DEFAULT);
        HistoryStore recording = new HistoryStore() {
            @Override
            public TopicHistory open(String project, String topic) {
                TopicHistory real = memory.open(project, topic);
                return (TopicHistory) Proxy.newProxyInstance(TopicHistory.class.getClassLoader(),
                        new Class<?>[] {TopicHistory.class}, (proxy, method, args) -> {
                            if (method.getName().endsWith("InMemory")) {
                                return false;
                            }
                            if (method.getName().startsWith("read")) {
                                readers.add(Thread.currentThread().getName());
                            }
                            return method.invoke(real, args);
                        });
            }

            @Override
            public boolean readsBlock() {
                return true;
            }
        };
        Broker broker = Broker.builder().historyStore(recording).build();
        StreamsAuth auth = StreamsAuth.builder().masterKey(ServerFixture.MASTER).build();
        NewApiKey key = auth.createKey("alpha", "k", EnumSet.allOf(Scope.class));
        for (int i = 1; i <= 3; i++) {
            broker.publish("alpha", "t", Integer.toString(i).getBytes(StandardCharsets.UTF_8));
        }
        try (StreamsServer server = StreamsServer.builder(broker, auth).port(0).build().start()) {
            TestClient client = TestClient.connect("ws://127.0.0.1:" + server.port() + "/v1/ws/native?x-api-key=" + key.key());
            assertThat(client.nextJson().get("type").getAsString()).isEqualTo("welcome");
            client.send("{\"type\":\"subscribe\",\"id\":\"1\",\"topic\":\"t\",\"last\":2}");
            JsonObject ack = client.nextJson();
            assertThat(ack.get("type").getAsString()).isEqualTo("ack");
            List<String> texts = List.of(client.nextJson().get("text").getAsString(), client.nextJson().get("text").getAsString());
            assertThat(texts).containsExactly("2", "3");
            Event live = broker.publish("alpha", "t", "4".getBytes(StandardCharsets.UTF_8));
            assertThat(client.nextJson().get("cursor").getAsString()).isEqualTo(live.position().cursor());
            client.closeBlocking();
        } finally {
            broker.close();
        }
        assertThat(readers).isNotEmpty().allMatch(name -> name.startsWith("streams-replay"), "a replay thread");
    }
}
