package dev.streams.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.cluster.redis.RedisServer;
import dev.streams.core.Broker;
import dev.streams.core.ClusterEngine;
import dev.streams.core.Await;
import dev.streams.core.Recorder;
import dev.streams.core.StartPosition;
import dev.streams.history.PostgresServer;
import dev.streams.history.SqlHistoryStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The history store on the application's PostgreSQL DataSource, and two nodes of a cluster on a real Redis. */
class StreamsStoresAutoConfigurationTest {
    @TempDir
    Path dataDir;

    private ApplicationContextRunner runner(String dir) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(StreamsAutoConfiguration.class))
                .withPropertyValues("streams.data-dir=" + dataDir.resolve(dir), "streams.server.port=0");
    }

    @Test
    void historyGoesToTheApplicationsDataSourceWhenAskedTo() throws Exception {
        try (PostgresServer postgres = new PostgresServer()) {
            DataSource dataSource = postgres.dataSource();
            runner("a").withBean(DataSource.class, () -> dataSource)
                    .withPropertyValues("streams.history.store=data-source").run(context -> {
                        assertThat(context).hasSingleBean(SqlHistoryStore.class);
                        context.getBean(Broker.class).publish("p1", "t", "hello".getBytes(StandardCharsets.UTF_8));
                    });
            // Another application on the same database reads what the first stored.
            runner("b").withBean(DataSource.class, () -> dataSource)
                    .withPropertyValues("streams.history.store=data-source").run(context -> {
                        Recorder replayed = new Recorder();
                        context.getBean(Broker.class).subscribe("p1", "t", StartPosition.last(10), replayed);
                        Await.until(() -> replayed.payloads().equals(List.of("hello")), () -> "replayed " + replayed.payloads());
                    });
        }
        runner("c").withPropertyValues("streams.history.store=data-source").run(context ->
                assertThat(context).hasFailed().getFailure().hasStackTraceContaining("needs exactly one DataSource bean"));
    }

    @Test
    void twoApplicationsOnOneRedisServeTheSameStreams() throws Exception {
        try (RedisServer redis = new RedisServer()) {
            String[] cluster = {"streams.cluster.redis-uri=" + redis.uri(), "streams.history.store=memory"};
            runner("n1").withPropertyValues(cluster).withPropertyValues("streams.cluster.node-name=n1").run(first ->
                    runner("n2").withPropertyValues(cluster).withPropertyValues("streams.cluster.node-name=n2").run(second -> {
                        assertThat(first).hasSingleBean(ClusterEngine.class);
                        Recorder received = new Recorder();
                        second.getBean(Broker.class).subscribe("p1", "t", StartPosition.latest(), received);
                        first.getBean(Broker.class).publish("p1", "t", "across".getBytes(StandardCharsets.UTF_8));
                        Await.until(() -> received.payloads().equals(List.of("across")), () -> "received " + received.payloads());
                        assertThat(second.getBean(StreamsHealthIndicator.class).health().getDetails())
                                .containsEntry("cluster", "ok");
                    }));
        }
    }
}
