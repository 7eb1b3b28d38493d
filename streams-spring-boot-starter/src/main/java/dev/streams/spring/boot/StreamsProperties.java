package dev.streams.spring.boot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What a Spring Boot application sets under {@code streams.*}. Every property has the library's default;
 * anything not here is set in code with a {@link StreamsServerCustomizer} or by defining the bean itself.
 */
@ConfigurationProperties("streams")
public class StreamsProperties {
    /** Whether Streams is configured at all. */
    private boolean enabled = true;

    /**
     * The data directory: the master key ({@code master.key}, created owner-only on first start), the API key
     * store ({@code api-keys.json}) and, with the SQLite store, the history. Keep it private.
     */
    private Path dataDir = Path.of("streams-data");

    /**
     * A master key file shared by every node of a cluster (created by the first that starts), instead of the one
     * in the data directory.
     */
    private Path masterKeyFile;

    private final Server server = new Server();
    private final History history = new History();
    private final Cluster cluster = new Cluster();

    /** Whether Streams is configured at all. */
    public boolean isEnabled() {
        return enabled;
    }

    /** Turns Streams off ({@code streams.enabled=false}). */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** The data directory. */
    public Path getDataDir() {
        return dataDir;
    }

    /** Sets the data directory. */
    public void setDataDir(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** The shared master key file, or null for the data directory's own. */
    public Path getMasterKeyFile() {
        return masterKeyFile;
    }

    /** Sets a shared master key file. */
    public void setMasterKeyFile(Path masterKeyFile) {
        this.masterKeyFile = masterKeyFile;
    }

    /** The HTTP and WebSocket server. */
    public Server getServer() {
        return server;
    }

    /** Where history is kept. */
    public History getHistory() {
        return history;
    }

    /** The optional Redis cluster. */
    public Cluster getCluster() {
        return cluster;
    }

    /** The HTTP and WebSocket server ({@code streams.server.*}); null leaves the server's own default. */
    public static class Server {
        /** The address to listen on (the server's default: loopback only, 127.0.0.1). */
        private String host;
        /** The port to listen on; 0 takes a free one. Not 8080, which a Spring web server of the host may hold. */
        private int port = 8090;
        /** Origins allowed to open WebSockets and call from browsers (the server's default: any). */
        private Set<String> allowedOrigins = new LinkedHashSet<>();
        /** The most connections at once. */
        private Integer maxConnections;
        /** The most connections at once per project. */
        private Integer maxConnectionsPerProject;
        /** The largest HTTP request body, in bytes. */
        private Integer maxBodyBytes;
        /** The largest WebSocket message, in bytes. */
        private Integer maxMessageBytes;
        /** How long a connection may send nothing before it is closed. */
        private Duration idleTimeout;
        /** How long shutdown waits for clients to go and requests to finish. */
        private Duration closeTimeout;
        /** Lifetime of tokens from m3o's Token call. */
        private Duration tokenTtl;
        /** Write coalescing under fan-out load: fewer system calls per delivery for up to this much latency. */
        private Duration writeCoalescing;
        /** The longest a busy event loop holds its next write pass for as long as its last one took (zero: never). */
        private Duration maxWriteHold;
        /** The longest a publisher goes unread while its topic's fan-out is far behind (zero: never). */
        private Duration maxPublisherStall;

        /** The address to listen on. */
        public String getHost() {
            return host;
        }

        /** Sets the address to listen on. */
        public void setHost(String host) {
            this.host = host;
        }

        /** The port to listen on. */
        public int getPort() {
            return port;
        }

        /** Sets the port (0 for a free one). */
        public void setPort(int port) {
            this.port = port;
        }

        /** Origins allowed for browsers; empty leaves the server's default. */
        public Set<String> getAllowedOrigins() {
            return allowedOrigins;
        }

        /** Sets the origins allowed for browsers. */
        public void setAllowedOrigins(Set<String> allowedOrigins) {
            this.allowedOrigins = allowedOrigins;
        }

        /** The most connections at once. */
        public Integer getMaxConnections() {
            return maxConnections;
        }

        /** Sets the most connections at once. */
        public void setMaxConnections(Integer maxConnections) {
            this.maxConnections = maxConnections;
        }

        /** The most connections at once per project. */
        public Integer getMaxConnectionsPerProject() {
            return maxConnectionsPerProject;
        }

        /** Sets the most connections at once per project. */
        public void setMaxConnectionsPerProject(Integer maxConnectionsPerProject) {
            this.maxConnectionsPerProject = maxConnectionsPerProject;
        }

        /** The largest HTTP request body. */
        public Integer getMaxBodyBytes() {
            return maxBodyBytes;
        }

        /** Sets the largest HTTP request body. */
        public void setMaxBodyBytes(Integer maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
        }

        /** The largest WebSocket message. */
        public Integer getMaxMessageBytes() {
            return maxMessageBytes;
        }

        /** Sets the largest WebSocket message. */
        public void setMaxMessageBytes(Integer maxMessageBytes) {
            this.maxMessageBytes = maxMessageBytes;
        }

        /** How long a silent connection stays open. */
        public Duration getIdleTimeout() {
            return idleTimeout;
        }

        /** Sets how long a silent connection stays open. */
        public void setIdleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
        }

        /** How long an event loop may hold its writes to many connections to coalesce them (zero: never). */
        public Duration getWriteCoalescing() {
            return writeCoalescing;
        }

        /** Sets how long an event loop may hold its writes to many connections to coalesce them. */
        public void setWriteCoalescing(Duration writeCoalescing) {
            this.writeCoalescing = writeCoalescing;
        }

        /** The longest a busy event loop holds its next write pass for as long as its last one took (zero: never). */
        public Duration getMaxWriteHold() {
            return maxWriteHold;
        }

        /** Sets the longest a busy event loop holds its next write pass (the server's default: 8 ms). */
        public void setMaxWriteHold(Duration maxWriteHold) {
            this.maxWriteHold = maxWriteHold;
        }

        /** The longest a publisher goes unread while its topic's fan-out is far behind (zero: never). */
        public Duration getMaxPublisherStall() {
            return maxPublisherStall;
        }

        /** Sets the longest a publisher goes unread while its topic's fan-out is far behind. */
        public void setMaxPublisherStall(Duration maxPublisherStall) {
            this.maxPublisherStall = maxPublisherStall;
        }

        /** How long shutdown drains. */
        public Duration getCloseTimeout() {
            return closeTimeout;
        }

        /** Sets how long shutdown drains. */
        public void setCloseTimeout(Duration closeTimeout) {
            this.closeTimeout = closeTimeout;
        }

        /** Lifetime of m3o tokens. */
        public Duration getTokenTtl() {
            return tokenTtl;
        }

        /** Sets the lifetime of m3o tokens. */
        public void setTokenTtl(Duration tokenTtl) {
            this.tokenTtl = tokenTtl;
        }
    }

    /** Where history is kept ({@code streams.history.*}). */
    public static class History {
        /** Where events are kept. */
        private Store store = Store.SQLITE;
        /** How long events are kept (the store's default: 30 days). */
        private Duration maxAge;

        /** Where events are kept. */
        public Store getStore() {
            return store;
        }

        /** Sets where events are kept. */
        public void setStore(Store store) {
            this.store = store;
        }

        /** How long events are kept, or null for the default. */
        public Duration getMaxAge() {
            return maxAge;
        }

        /** Sets how long events are kept. */
        public void setMaxAge(Duration maxAge) {
            this.maxAge = maxAge;
        }
    }

    /** The kinds of history store. */
    public enum Store {
        /** A SQLite file in the data directory: durable, nothing to install (the default). */
        SQLITE,
        /** The application's own {@code DataSource} bean, which must be PostgreSQL. */
        DATA_SOURCE,
        /** Memory only: history is lost on restart. */
        MEMORY
    }

    /** The optional Redis cluster ({@code streams.cluster.*}); needs streams-cluster-redis on the class path. */
    public static class Cluster {
        /** A Redis URI ({@code redis://host:port}); when set, this node serves the cluster's streams. */
        private String redisUri;
        /** This node's name in the cluster (default: a generated one). */
        private String nodeName;

        /** The Redis URI, or null when the node runs alone. */
        public String getRedisUri() {
            return redisUri;
        }

        /** Sets the Redis URI. */
        public void setRedisUri(String redisUri) {
            this.redisUri = redisUri;
        }

        /** This node's name. */
        public String getNodeName() {
            return nodeName;
        }

        /** Sets this node's name. */
        public void setNodeName(String nodeName) {
            this.nodeName = nodeName;
        }
    }
}
