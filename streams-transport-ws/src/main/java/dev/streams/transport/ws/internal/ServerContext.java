package dev.streams.transport.ws.internal;

import dev.streams.auth.StreamsAuth;
import dev.streams.core.Broker;
import dev.streams.core.SubscribeOptions;
import io.netty.channel.group.ChannelGroup;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every handler of one server shares: the broker, auth, limits, metrics and the open sessions.
 *
 * @param allowedOrigins browser origins allowed to open WebSockets; empty allows any
 * @param queryExecutor  where history queries run (a database query never runs on an event loop)
 */
public record ServerContext(Broker broker, StreamsAuth auth, ServerMetrics metrics,
                            ChannelGroup channels, Set<Session> sessions, ProjectConnections projectConnections,
                            Set<String> allowedOrigins, ServerLimits limits, SubscribeOptions subscribeOptions,
                            Duration tokenTtl, HostRoutes hostRoutes, Compression compression,
                            SseResumes sseResumes, java.util.concurrent.ExecutorService queryExecutor) {

    /**
     * permessage-deflate settings.
     *
     * @param enabled  whether the server accepts clients' offers
     * @param minBytes frames shorter than this go uncompressed even on connections that negotiated it
     */
    public record Compression(boolean enabled, int minBytes) {
    }

    public static Set<Session> newSessionSet() {
        return ConcurrentHashMap.newKeySet();
    }

    /** Whether a browser from {@code origin} may connect; requests without an Origin are not from a browser. */
    public boolean originAllowed(String origin) {
        return origin == null || allowedOrigins.isEmpty() || allowedOrigins.contains(origin);
    }
}
