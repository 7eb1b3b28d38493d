package dev.streams.transport.ws.internal;

import dev.streams.auth.Credentials;
import dev.streams.auth.Principal;
import dev.streams.auth.StreamsAuth;
import dev.streams.core.Broker;
import dev.streams.core.SubscribeOptions;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.util.AttributeKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What every handler of one server shares: the broker, auth, limits, metrics and the open connections.
 *
 * @param channels       every open connection, HTTP or session; the open sessions are found through them (see
 *                       {@link #openSessions()}) rather than kept in a set of their own, which would cost each
 *                       idle connection a second map entry
 * @param allowedOrigins browser origins allowed to open WebSockets; empty allows any
 * @param queries        where history queries run (a database query never runs on an event loop), within
 *                       per-project bounds
 * @param replays        where subscriptions that must read the history store are made, projects in turn
 */
public record ServerContext(Broker broker, StreamsAuth auth, ServerMetrics metrics,
                            ChannelGroup channels, ProjectConnections projectConnections,
                            Set<String> allowedOrigins, ServerLimits limits, SubscribeOptions subscribeOptions,
                            Duration tokenTtl, HostRoutes hostRoutes, Compression compression,
                            SseResumes sseResumes, QueryGate queries, ReplayQueue replays,
                            WebSocketDecoderConfig webSocketConfig, OutboundBudget outboundBudget,
                            ConnectionAdmission admission) {

    /** The principal {@link RequestHeadChecks} authenticated from the head of the request being handled. */
    static final AttributeKey<Principal> REQUEST_PRINCIPAL = AttributeKey.valueOf(ServerContext.class, "principal");

    /**
     * Who sent the request being handled: the principal its head was authenticated as, taken (once) from the
     * connection, or else {@code credentials} authenticated now. Throws AuthException as {@link #authenticate}.
     */
    public Principal requestPrincipal(Channel channel, Supplier<Credentials> credentials) {
        // Asked first: attr() would add the attribute to every connection that never had one (WebSocket upgrades).
        Principal who = channel.hasAttr(REQUEST_PRINCIPAL) ? channel.attr(REQUEST_PRINCIPAL).getAndSet(null) : null;
        return who != null ? who : authenticate(channel, credentials.get());
    }

    /**
     * Authenticates what a request or session presented and, when it is valid, counts the connection as
     * authenticated (see {@link ConnectionAdmission}). Call on the connection's event loop.
     */
    public Principal authenticate(Channel channel, Credentials credentials) {
        Principal who = auth.authenticate(credentials);
        ConnectionHead.authenticated(channel);
        return who;
    }

    /**
     * permessage-deflate settings.
     *
     * @param enabled  whether the server accepts clients' offers
     * @param minBytes frames shorter than this go uncompressed even on connections that negotiated it
     */
    public record Compression(boolean enabled, int minBytes) {
    }

    /** Netty's WebSocket frame decoder settings for every upgrade of a server with these limits, built once. */
    public static WebSocketDecoderConfig webSocketConfig(ServerLimits limits, Compression compression) {
        return WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(limits.maxFrameBytes())
                // Text is validated whole by WebSocketFrames, so that the decoder's own UTF-8 refusals can only be
                // of a close frame's reason (a protocol error, 1002, not 1007).
                .withUTF8Validator(false)
                // WebSocketFrames sends the close frame itself: Netty's would be missing after a broken close
                // frame (an invalid code or a reason that is not UTF-8).
                .closeOnProtocolViolation(false)
                .allowExtensions(compression.enabled())
                .build();
    }

    /** The sessions open now (handshake done, not yet closed), read from the open connections. Any thread. */
    public List<Session> openSessions() {
        List<Session> open = new ArrayList<>();
        for (Channel channel : channels) {
            Session session = SessionChannelHandler.sessionOf(channel);
            if (session != null && session.isOpen()) {
                open.add(session);
            }
        }
        return open;
    }

    /** Whether a browser from {@code origin} may connect; requests without an Origin are not from a browser. */
    public boolean originAllowed(String origin) {
        return origin == null || allowedOrigins.isEmpty() || allowedOrigins.contains(origin);
    }
}
