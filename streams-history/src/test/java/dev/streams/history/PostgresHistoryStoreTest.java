package dev.streams.history;

import dev.streams.devices.DeviceIngestor;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.core.Recorder;
import dev.streams.core.Broker;
import dev.streams.core.Event;
import dev.streams.core.Gap;
import dev.streams.core.HistoryLimits;
import dev.streams.core.StartPosition;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The same store code on a real PostgreSQL server: restart, crash, JSON in jsonb, a payload that is not JSON. */
class PostgresHistoryStoreTest {
    private static PostgresServer postgres;
    private static final HistoryLimits SMALL_HOT = new HistoryLimits(2, 1 << 20, Duration.ofHours(1));

    @BeforeAll
    static void start() throws Exception {
        postgres = new PostgresServer();
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    private static Event publish(Broker broker, String topic, String contentType, String body) {
        return broker.publish("pg", topic, contentType, body.getBytes(UTF_8), Map.of(DeviceIngestor.DEVICE_ID, "d1"));
    }

    @Test
    void restartsCrashesAndJsonbWork() throws Exception {
        Event third;
        SqlHistoryStore first = SqlHistoryStore.postgres(postgres.dataSource()).hotCache(SMALL_HOT).build();
        Broker broker = Broker.builder().historyStore(first).build();
        publish(broker, "t", "application/json", "{\"temp\":20.5}");
        publish(broker, "t", "application/json", "this is not JSON");
        third = publish(broker, "t", "text/plain", "plain text");
        publish(broker, "t", "application/json", "{\"temp\":21}");
        Recorder.await(() -> first.status().metrics().get("streams_history_stored_total").longValue() == 4,
                () -> "stored " + first.status());
        broker.close();
        first.close();

        try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM streams_events WHERE (data->>'temp')::float > 20")) {
            r.next();
            assertThat(r.getInt(1)).as("JSON stored as jsonb and queryable").isEqualTo(2);
        }

        SqlHistoryStore second = SqlHistoryStore.postgres(postgres.dataSource()).hotCache(SMALL_HOT).build();
        assertThat(second.recoveredFromCrash()).isFalse();
        broker = Broker.builder().historyStore(second).build();
        Recorder resumed = new Recorder();
        broker.subscribe("pg", "t", StartPosition.after(third.position()), resumed);
        Recorder all = new Recorder();
        broker.subscribe("pg", "t", StartPosition.last(10), all);
        resumed.awaitEvents(1);
        all.awaitEvents(4);
        assertThat(resumed.gaps).isEmpty();
        assertThat(resumed.payloads()).containsExactly("{\"temp\":21}");
        assertThat(all.payloads()).containsExactly("{\"temp\":20.5}", "this is not JSON", "plain text", "{\"temp\":21}");
        broker.close();
        // Never closed: what a crash leaves. The next start renews the epoch and says so on resume.
        SqlHistoryStore third2 = SqlHistoryStore.postgres(postgres.dataSource()).hotCache(SMALL_HOT).build();
        try {
            assertThat(third2.recoveredFromCrash()).isTrue();
            Broker after = Broker.builder().historyStore(third2).build();
            Recorder crashed = new Recorder();
            after.subscribe("pg", "t", StartPosition.after(third.position()), crashed);
            crashed.awaitEvents(1);
            assertThat(crashed.gaps).extracting(Gap::cause).containsExactly(Gap.Cause.EPOCH_CHANGED);
            assertThat(crashed.payloads()).containsExactly("{\"temp\":21}");
            after.close();
        } finally {
            third2.close();
            second.close();
        }
    }
}
