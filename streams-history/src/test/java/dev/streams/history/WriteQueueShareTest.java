package dev.streams.history;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streams.core.Broker;
import dev.streams.core.ErrorKind;
import dev.streams.core.Recorder;
import dev.streams.core.StreamsException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One project cannot fill the history store's write queue: while the database is held up, a project is refused
 * past its share (LIMIT_EXCEEDED, naming the project) and another project's publishes are still taken.
 */
class WriteQueueShareTest {
    @TempDir
    Path dir;

    @Test
    void aProjectPastItsShareIsRefusedWhileOthersPublish() throws Exception {
        try (SqlHistoryStore store = SqlHistoryStore.sqlite(dir).queueCapacity(10).queueCapacityPerProject(4).build()) {
            Broker broker = Broker.builder().historyStore(store).build();
            broker.publish("busy", "t", "warm-up".getBytes(UTF_8));
            broker.publish("quiet", "t", "warm-up".getBytes(UTF_8));
            Recorder.await(() -> store.status().metrics().get("streams_history_stored_total").longValue() == 2,
                    () -> "stored " + store.status());
            // Another connection holds the database: the writer cannot commit, and the queue fills.
            try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("streams.db"));
                 Statement s = holder.createStatement()) {
                s.execute("BEGIN EXCLUSIVE");
                for (int i = 0; i < 4; i++) {
                    broker.publish("busy", "t", ("b" + i).getBytes(UTF_8));
                }
                assertThatThrownBy(() -> broker.publish("busy", "t", "one too many".getBytes(UTF_8)))
                        .isInstanceOfSatisfying(StreamsException.class, e -> {
                            assertThat(e.kind()).isEqualTo(ErrorKind.LIMIT_EXCEEDED);
                            assertThat(e.getMessage()).contains("project busy");
                        });
                for (int i = 0; i < 4; i++) {
                    broker.publish("quiet", "t", ("q" + i).getBytes(UTF_8));
                }
                assertThat(store.status().metrics().get("streams_history_refused_project_share_total").longValue())
                        .isEqualTo(1);
                s.execute("COMMIT");
            }
            Recorder.await(() -> store.status().metrics().get("streams_history_stored_total").longValue() == 10,
                    () -> "stored " + store.status());
            broker.publish("busy", "t", "room again".getBytes(UTF_8));
            broker.close();
        }
    }
}
