package dev.streams.spring.boot;

import dev.streams.auth.ApiKeyStore;
import dev.streams.auth.DeviceCredentialStore;
import dev.streams.auth.MasterKeyFile;
import dev.streams.auth.StreamsAuth;
import dev.streams.cluster.redis.RedisClusterEngine;
import dev.streams.core.Broker;
import dev.streams.core.ClusterEngine;
import dev.streams.core.HistoryStore;
import dev.streams.history.Retention;
import dev.streams.history.SqlHistoryStore;
import dev.streams.micrometer.StreamsMetricsBinder;
import dev.streams.transport.ws.StreamsServer;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configures Streams from {@link StreamsProperties}: the auth (master key and API key store in the data
 * directory), the history store (SQLite in the data directory, the application's PostgreSQL {@code DataSource},
 * or memory), the Redis cluster when {@code streams.cluster.redis-uri} is set, the broker and the server, started
 * with the context and drained when it closes. Every bean is replaced by defining one of its type; all of it is
 * off with {@code streams.enabled=false}. With Actuator, a {@code streams} health indicator and the server's
 * metrics in the application's Micrometer registry.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnProperty(prefix = "streams", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(StreamsProperties.class)
public class StreamsAutoConfiguration {
    /** Created by Spring Boot. */
    public StreamsAutoConfiguration() {
    }

    /** API keys and tokens: the data directory's (or the shared) master key, and its API key file. */
    @Bean
    @ConditionalOnMissingBean
    public StreamsAuth streamsAuth(StreamsProperties properties) {
        byte[] master = properties.getMasterKeyFile() != null
                ? MasterKeyFile.readOrCreate(properties.getMasterKeyFile())
                : MasterKeyFile.inDirectory(properties.getDataDir());
        return StreamsAuth.builder().masterKey(master)
                .keyStore(ApiKeyStore.file(properties.getDataDir().resolve(MasterKeyFile.KEY_STORE_NAME)))
                .deviceStore(DeviceCredentialStore.file(properties.getDataDir().resolve(MasterKeyFile.DEVICE_STORE_NAME)))
                .build();
    }

    /** Durable history in a SQLite file in the data directory (the default store). */
    @Bean
    @ConditionalOnMissingBean(HistoryStore.class)
    @ConditionalOnProperty(prefix = "streams.history", name = "store", havingValue = "sqlite", matchIfMissing = true)
    public SqlHistoryStore streamsSqliteHistory(StreamsProperties properties) {
        return withRetention(SqlHistoryStore.sqlite(properties.getDataDir()), properties).build();
    }

    /** Durable history in the application's PostgreSQL, with {@code streams.history.store=data-source}. */
    @Bean
    @ConditionalOnMissingBean(HistoryStore.class)
    @ConditionalOnProperty(prefix = "streams.history", name = "store", havingValue = "data-source")
    public SqlHistoryStore streamsDataSourceHistory(StreamsProperties properties, ObjectProvider<DataSource> dataSource) {
        DataSource source = dataSource.getIfUnique();
        if (source == null) {
            throw new IllegalStateException("streams.history.store=data-source needs exactly one DataSource bean "
                    + "(a PostgreSQL one); define it, or use streams.history.store=sqlite");
        }
        return withRetention(SqlHistoryStore.postgres(source), properties).build();
    }

    private static SqlHistoryStore.Builder withRetention(SqlHistoryStore.Builder store, StreamsProperties properties) {
        if (properties.getHistory().getMaxAge() != null) {
            Retention all = Retention.DEFAULT;
            store.retention(new Retention(properties.getHistory().getMaxAge(), all.maxBytes(), all.maxEvents()));
        }
        return store;
    }

    /**
     * The broker over the history store and cluster engine beans, when there are such (memory only and alone
     * otherwise). Closing it closes the cluster engine; the history store is closed after it.
     */
    @Bean
    @ConditionalOnMissingBean
    public Broker streamsBroker(ObjectProvider<HistoryStore> history, ObjectProvider<ClusterEngine> cluster) {
        Broker.Builder broker = Broker.builder();
        history.ifUnique(broker::historyStore);
        cluster.ifUnique(broker::cluster);
        return broker.build();
    }

    /** The server from {@code streams.server.*}, then every {@link StreamsServerCustomizer}; not yet started. */
    @Bean
    @ConditionalOnMissingBean
    public StreamsServer streamsServer(Broker broker, StreamsAuth auth, StreamsProperties properties,
                                       ObjectProvider<StreamsServerCustomizer> customizers) {
        StreamsProperties.Server settings = properties.getServer();
        StreamsServer.Builder server = StreamsServer.builder(broker, auth).port(settings.getPort());
        ifSet(settings.getHost(), server::host);
        if (!settings.getAllowedOrigins().isEmpty()) {
            server.allowedOrigins(settings.getAllowedOrigins());
        }
        ifSet(settings.getMaxConnections(), server::maxConnections);
        ifSet(settings.getMaxConnectionsPerProject(), server::maxConnectionsPerProject);
        ifSet(settings.getMaxBodyBytes(), server::maxBodyBytes);
        ifSet(settings.getMaxMessageBytes(), server::maxMessageBytes);
        ifSet(settings.getIdleTimeout(), server::idleTimeout);
        ifSet(settings.getCloseTimeout(), server::closeTimeout);
        ifSet(settings.getTokenTtl(), server::tokenTtl);
        ifSet(settings.getWriteCoalescing(), server::writeCoalescing);
        ifSet(settings.getMaxWriteHold(), server::maxWriteHold);
        ifSet(settings.getMaxPublisherStall(), server::maxPublisherStall);
        customizers.orderedStream().forEach(customizer -> customizer.customize(server));
        return server.build();
    }

    private static <T> void ifSet(T value, Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }

    /** Starts the server with the context and drains it first when the context closes. */
    @Bean
    @ConditionalOnBean(StreamsServer.class)
    StreamsServerLifecycle streamsServerLifecycle(StreamsServer server) {
        return new StreamsServerLifecycle(server);
    }

    /** The Redis cluster engine, when {@code streams.cluster.redis-uri} is set and streams-cluster-redis is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RedisClusterEngine.class)
    @ConditionalOnProperty(prefix = "streams.cluster", name = "redis-uri")
    static class Cluster {
        /** The broker closes it, so Spring does not (destroyMethod empty). */
        @Bean(destroyMethod = "")
        @ConditionalOnMissingBean(ClusterEngine.class)
        ClusterEngine streamsClusterEngine(StreamsProperties properties) {
            StreamsProperties.Cluster cluster = properties.getCluster();
            RedisClusterEngine.Builder engine = RedisClusterEngine.builder(cluster.getRedisUri());
            ifSet(cluster.getNodeName(), engine::nodeName);
            return engine.build();
        }
    }

    /** The {@code streams} health indicator, when Actuator's health support is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("streams")
    static class Health {
        @Bean
        @ConditionalOnMissingBean(name = "streamsHealthIndicator")
        StreamsHealthIndicator streamsHealthIndicator(Broker broker, StreamsServer server) {
            return new StreamsHealthIndicator(broker, server);
        }
    }

    /** The server's metrics in the application's Micrometer registry, when Micrometer is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({StreamsMetricsBinder.class, io.micrometer.core.instrument.binder.MeterBinder.class})
    static class Metrics {
        @Bean
        @ConditionalOnMissingBean
        StreamsMetricsBinder streamsMetricsBinder(StreamsServer server) {
            return new StreamsMetricsBinder(server);
        }
    }
}
