package dev.streams.spring.boot;

import dev.streams.core.Broker;
import dev.streams.core.HistoryStore;
import dev.streams.transport.ws.StreamsServer;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Actuator health of Streams ({@code /actuator/health/streams}): down when the history store or the cluster is
 * unhealthy (the store refuses writes, Redis is unreachable), with each one's detail and the open connections.
 */
public final class StreamsHealthIndicator implements HealthIndicator {
    private final Broker broker;
    private final StreamsServer server;

    /** Reports on this broker and the server in front of it. */
    public StreamsHealthIndicator(Broker broker, StreamsServer server) {
        this.broker = broker;
        this.server = server;
    }

    @Override
    public Health health() {
        HistoryStore.Status history = broker.historyStatus();
        HistoryStore.Status cluster = broker.clusterStatus();
        Health.Builder health = history.healthy() && cluster.healthy() && !broker.isClosed() ? Health.up() : Health.down();
        return health.withDetail("history", history.detail())
                .withDetail("cluster", broker.isClustered() ? cluster.detail() : "not clustered")
                .withDetail("connections", server.openConnections())
                .build();
    }
}
