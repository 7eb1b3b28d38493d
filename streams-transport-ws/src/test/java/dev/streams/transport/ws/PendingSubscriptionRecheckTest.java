package dev.streams.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.streams.auth.Credentials;
import dev.streams.auth.Scope;
import dev.streams.auth.StreamsAuth;
import dev.streams.core.Broker;
import dev.streams.core.HistoryStore;
import dev.streams.core.Recorder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A native subscription still reading its replay when the client refreshes its credential with a narrower one
 * is checked against the credential the session holds when it attaches: it is refused, and never delivers.
 */
class PendingSubscriptionRecheckTest {
    @Test
    void aSubscriptionThatAttachesAfterANarrowerCredentialIsCheckedAgainstIt() throws Exception {
        CountDownLatch storeMayAnswer = new CountDownLatch(1);
        HistoryStore slowToOpen = new SlowOpeningStore(topic -> {
            if (topic.equals("secret")) {
                storeMayAnswer.await(10, TimeUnit.SECONDS);
            }
        });
        Broker broker = Broker.builder().historyStore(slowToOpen).build();
        StreamsAuth auth = StreamsAuth.builder().masterKey(ServerFixture.MASTER).build();
        var issuer = auth.authenticate(Credentials.apiKey(auth.createKey("alpha", "k", EnumSet.allOf(Scope.class)).key()));
        String everything = auth.issueToken(issuer, "alpha", List.of(">"), Duration.ofMinutes(5), Set.of(Scope.SUBSCRIBE));
        String publicOnly = auth.issueToken(issuer, "alpha", List.of("public.>"), Duration.ofMinutes(5),
                Set.of(Scope.SUBSCRIBE));
        try (StreamsServer server = StreamsServer.builder(broker, auth).port(0).build().start()) {
            TestClient client = TestClient.connect("ws://127.0.0.1:" + server.port() + "/v1/ws/native?jwt=" + everything);
            assertThat(client.nextJson().get("type").getAsString()).isEqualTo("welcome");
            client.send("{\"type\":\"subscribe\",\"id\":\"1\",\"topic\":\"secret\"}");
            client.send("{\"type\":\"auth\",\"id\":\"2\",\"token\":\"" + publicOnly + "\"}");
            JsonObject refreshed = client.nextJson();
            assertThat(refreshed.get("type").getAsString()).isEqualTo("ack");
            assertThat(refreshed.get("id").getAsString()).isEqualTo("2");
            storeMayAnswer.countDown();
            JsonObject refused = client.nextJson();
            assertThat(refused.get("type").getAsString()).as(refused.toString()).isEqualTo("error");
            assertThat(refused.get("id").getAsString()).isEqualTo("1");
            assertThat(refused.get("code").getAsString()).isEqualTo("FORBIDDEN");
            Recorder.await(() -> broker.stats("alpha").subscriptions() == 0, () -> "still " + broker.stats("alpha"));
            broker.publish("alpha", "secret", "payroll".getBytes(StandardCharsets.UTF_8));
            client.send("{\"type\":\"subscribe\",\"id\":\"3\",\"topic\":\"public.news\"}");
            JsonObject ack = client.nextJson();
            assertThat(ack.get("id").getAsString()).as("nothing of the secret topic came first: " + ack).isEqualTo("3");
            client.closeBlocking();
        } finally {
            broker.close();
        }
    }
}
