package dev.streams.cluster.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streams.core.Await;
import dev.streams.core.Broker;
import dev.streams.core.ErrorKind;
import dev.streams.core.Event;
import dev.streams.core.Idempotency;
import dev.streams.core.Position;
import dev.streams.core.Recorder;
import dev.streams.core.StartPosition;
import dev.streams.core.StreamsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Idempotency keys decided in Redis with the position: a retry on another node is answered alike, stored once. */
class ClusterIdempotencyTest extends ClusterFixture {
    private static CompletableFuture<Event> publish(Broker node, String topic, String key) {
        return node.publishAsync("p", topic, Event.JSON, "{\"paid\":true}".getBytes(UTF_8), Map.of(Idempotency.KEY, key));
    }

    @Test
    void aRetryOnAnotherNodeGetsTheFirstCursorAndNothingIsDeliveredTwice() throws Exception {
        Broker a = node("a");
        Broker b = node("b");
        Recorder onA = new Recorder();
        Recorder onB = new Recorder();
        a.subscribe("p", "orders", StartPosition.latest(), onA);
        b.subscribe("p", "orders", StartPosition.latest(), onB);
        Position first = publish(a, "orders", "order-1").get().position();
        Position retried = publish(b, "orders", "order-1").get().position();
        Position again = publish(a, "orders", "order-1").get().position();
        Position next = publish(b, "orders", "order-2").get().position();
        assertThat(retried).isEqualTo(first);
        assertThat(again).isEqualTo(first);
        assertThat(next.offset()).isEqualTo(first.offset() + 1);
        Await.until(() -> onA.events.size() == 2 && onB.events.size() == 2,
                () -> "a got " + onA.offsets("orders") + ", b got " + onB.offsets("orders"));
        assertThat(onA.offsets("orders")).containsExactly(first.offset(), next.offset());
        assertThat(onB.offsets("orders")).containsExactly(first.offset(), next.offset());
        assertThatThrownBy(() -> publish(b, "refunds", "order-1").join()).hasCauseInstanceOf(StreamsException.class)
                .satisfies(e -> assertThat(((StreamsException) e.getCause()).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
    }

    @Test
    void racingRetriesOnTwoNodesStoreOneEvent() throws Exception {
        Broker a = node("a");
        Broker b = node("b");
        List<CompletableFuture<Event>> attempts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            attempts.add(publish(i % 2 == 0 ? a : b, "orders", "once"));
            attempts.add(publish(i % 2 == 0 ? a : b, "orders", "k" + i));
        }
        Position once = attempts.get(0).get().position();
        for (int i = 0; i < attempts.size(); i += 2) {
            assertThat(attempts.get(i).get().position()).isEqualTo(once);
        }
        // 50 distinct keys and one repeated fifty times: 51 events in all.
        Await.until(() -> a.latestPosition("p", "orders").map(Position::offset).orElse(0L) == 51
                && b.latestPosition("p", "orders").map(Position::offset).orElse(0L) == 51, "51 events on both nodes");
    }
}
