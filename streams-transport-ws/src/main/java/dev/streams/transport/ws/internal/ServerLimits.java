package dev.streams.transport.ws.internal;

import java.time.Duration;

/**
 * Every bound the transport enforces, fixed when the server is built. Each has a default in
 * {@code StreamsServer.Builder}, is checked in exactly one place, and is counted in {@code /metrics} when hit.
 *
 * @param maxFrameBytes                 largest WebSocket frame (close 1009 beyond)
 * @param maxMessageBytes               largest WebSocket message after reassembly (close 1009 beyond)
 * @param maxBodyBytes                  largest HTTP request body (413 beyond)
 * @param maxConnections                open connections of the whole server (503 beyond)
 * @param maxConnectionsPerProject      open WebSocket sessions of one project (refused beyond)
 * @param idleTimeout                   a silent WebSocket is pinged after half of this and closed after all of it
 * @param requestTimeout                an HTTP request must be complete within this of the connection opening
 *                                      or of the previous response; a WebSocket that must send a first frame
 *                                      (m3o's SubscribeRequest) must send it within this of the handshake
 * @param maxOutboundBytes              bytes queued for a peer that is not reading before the server stops
 *                                      reading from it and its subscriptions stop pulling
 * @param maxSubscriptionsPerConnection subscriptions one native connection may hold
 * @param maxTotalOutboundBytes         bytes queued for all peers together before every subscription stops
 *                                      pulling (see {@link OutboundBudget})
 */
public record ServerLimits(int maxFrameBytes, int maxMessageBytes, int maxBodyBytes, int maxConnections,
                           int maxConnectionsPerProject, Duration idleTimeout, Duration requestTimeout,
                           int maxOutboundBytes, int maxSubscriptionsPerConnection, long maxTotalOutboundBytes,
                           Duration maxPublisherStall) {
}
