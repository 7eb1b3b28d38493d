package dev.streams.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.cluster.redis.RedisClusterEngine;
import dev.streams.cluster.redis.RedisServer;
import dev.streams.core.Broker;
import dev.streams.core.HistoryQuery;
import dev.streams.core.Recorder;
import dev.streams.history.PostgresServer;
import dev.streams.history.SqlHistoryStore;
import dev.streams.devices.DeviceIngestor;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two cluster nodes on one real Redis and one real PostgreSQL they share: each event is written once, by the
 * node that accepted it, and both nodes answer a history query with the same rows.
 */
class SharedHistoryClusterTest {
    @Test
    void theAcceptingNodeWritesEachEventOnceAndEveryNodeAnswersTheSame() throws Exception {
        try (RedisServer redis = new RedisServer(); PostgresServer postgres = new PostgresServer()) {
            SqlHistoryStore storeA = SqlHistoryStore.postgres(postgres.dataSource()).sharedByNodes(true).build();
            SqlHistoryStore storeB = SqlHistoryStore.postgres(postgres.dataSource()).sharedByNodes(true).build();
            Broker a = Broker.builder().historyStore(storeA)
                    .cluster(RedisClusterEngine.builder(redis.uri()).nodeName("a").build()).build();
            Broker b = Broker.builder().historyStore(storeB)
                    .cluster(RedisClusterEngine.builder(redis.uri()).nodeName("b").build()).build();
            try {
                for (int n = 1; n <= 10; n++) {
                    new DeviceIngestor(a).ingest("p", "d1", null, "{\"n\":" + n + "}");
                }
                for (int n = 11; n <= 15; n++) {
                    new DeviceIngestor(b).ingest("p", "d2", null, "{\"n\":" + n + "}");
                }
                Recorder.await(() -> stored(storeA) == 10 && stored(storeB) == 5,
                        () -> "a stored " + stored(storeA) + ", b stored " + stored(storeB));
                HistoryQuery query = new HistoryQuery("p", List.of(), Instant.now().minus(1, ChronoUnit.HOURS),
                        Instant.now().plus(1, ChronoUnit.HOURS), List.of(), null, null, 0, 100);
                HistoryQuery.Result fromA = a.query(query);
                HistoryQuery.Result fromB = b.query(query);
                assertThat(fromA.total()).isEqualTo(15);
                assertThat(fromB.rows()).isEqualTo(fromA.rows());
            } finally {
                a.close();
                b.close();
                storeA.close();
                storeB.close();
            }
            // Written once each: 15 writes in all, by the two nodes together.
            assertThat(stored(storeA) + stored(storeB)).isEqualTo(15);
        }
    }

    private static long stored(SqlHistoryStore store) {
        return store.status().metrics().get("streams_history_stored_total").longValue();
    }
}
