package dev.streams.transport.ws.internal;

import dev.streams.auth.AuthException;
import dev.streams.auth.Credentials;
import dev.streams.auth.Principal;
import io.netty.channel.Channel;

/**
 * The credential a request's head presented (headers, query), authenticated at most once and only when
 * asked: the one authentication step of HTTP calls and stream openings alike. Credentials sent inside a
 * stream (m3o's SubscribeRequest token, the native {@code auth} refresh) go through
 * {@link ServerContext#authenticate} directly. Used on the connection's event loop.
 */
public final class HeadCredential {
    private final ServerContext server;
    private final Channel channel;
    /** What the head carried; dropped once authenticated, so no secret is kept longer than needed. */
    private Credentials presented;
    private final boolean isPresent;
    private Principal principal;
    private AuthException refusal;

    public HeadCredential(ServerContext server, Channel channel, Credentials presented) {
        this.server = server;
        this.channel = channel;
        this.presented = presented;
        this.isPresent = !presented.isEmpty();
    }

    /** Whether the head carried any credential at all. */
    public boolean isPresent() {
        return isPresent;
    }

    /** Who the credential names; throws the refusal (a missing credential included), the same on every call. */
    public Principal principal() {
        if (principal == null && refusal == null) {
            try {
                principal = server.authenticate(channel, presented);
            } catch (AuthException e) {
                refusal = e;
            } finally {
                presented = null;
            }
        }
        if (refusal != null) {
            throw refusal;
        }
        return principal;
    }
}
