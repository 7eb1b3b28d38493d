package dev.streams.cluster.redis;

import dev.streams.core.Broker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A real Redis per test and the brokers joined to it as cluster nodes, all closed after the test. */
abstract class ClusterFixture {
    protected RedisServer redis;
    protected final List<Broker> nodes = new ArrayList<>();

    @BeforeEach
    void startRedis() throws Exception {
        redis = new RedisServer();
    }

    @AfterEach
    void stopAll() throws Exception {
        nodes.forEach(Broker::close);
        redis.close();
    }

    /** A broker joined to the cluster as node {@code name}. */
    protected Broker node(String name) {
        Broker broker = Broker.builder()
                .cluster(RedisClusterEngine.builder(redis.uri()).nodeName(name).timeout(Duration.ofSeconds(2)).build())
                .build();
        nodes.add(broker);
        return broker;
    }
}
