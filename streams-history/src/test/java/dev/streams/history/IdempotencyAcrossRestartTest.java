package dev.streams.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.core.Broker;
import dev.streams.core.Event;
import dev.streams.core.Idempotency;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A publish retried after the broker restarted on a durable store is answered with the first and stored once. */
class IdempotencyAcrossRestartTest {
    @TempDir
    Path dir;

    private static Event publish(Broker broker, String key, String payload) {
        return broker.publish("p", "orders", Event.JSON, payload.getBytes(StandardCharsets.UTF_8), Map.of(Idempotency.KEY, key));
    }

    private static void retryAfterRestart(Supplier<SqlHistoryStore> stores) {
        Event first;
        try (SqlHistoryStore store = stores.get(); Broker broker = Broker.builder().historyStore(store).build()) {
            first = publish(broker, "order-17", "{\"n\":17}");
            publish(broker, "order-18", "{\"n\":18}");
        }
        try (SqlHistoryStore store = stores.get(); Broker broker = Broker.builder().historyStore(store).build()) {
            Event retried = publish(broker, "order-17", "{\"n\":17}");
            assertThat(retried.position()).isEqualTo(first.position());
            assertThat(retried.timestampNanos()).isEqualTo(first.timestampNanos());
            assertThat(broker.stats("p").repeatedPublishes()).isEqualTo(1);
            assertThat(broker.latestPosition("p", "orders").orElseThrow().offset()).isEqualTo(first.offset() + 1);
            Event fresh = publish(broker, "order-19", "{\"n\":19}");
            assertThat(fresh.offset()).isEqualTo(first.offset() + 2);
        }
    }

    @Test
    void onSqlite() {
        retryAfterRestart(() -> SqlHistoryStore.sqlite(dir).build());
    }

    @Test
    void onPostgres() throws Exception {
        try (PostgresServer postgres = new PostgresServer()) {
            retryAfterRestart(() -> SqlHistoryStore.postgres(postgres.dataSource()).build());
        }
    }
}
