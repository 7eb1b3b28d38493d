package dev.streams.transport.ws.internal;

import dev.streams.auth.AuthException;
import dev.streams.auth.Credentials;
import dev.streams.auth.Principal;
import java.util.function.Function;

/**
 * The credential a request's head presented (headers, query), authenticated at most once and only when
 * asked: the one authentication step of HTTP calls and stream openings alike. Credentials sent inside a
 * stream (m3o's SubscribeRequest token, the native {@code auth} refresh) go through
 * the session ({@link SessionControl#authenticate}). Used on the connection's event loop.
 */
public final class HeadCredential {
    private final Function<Credentials, Principal> authenticate;
    /** What the head carried; dropped once authenticated, so no secret is kept longer than needed. */
    private Credentials presented;
    private final boolean isPresent;
    private Principal principal;
    private AuthException refusal;

    /** @param authenticate checks a credential, throwing AuthException on refusal ({@link ServerContext#authenticate}) */
    public HeadCredential(Credentials presented, Function<Credentials, Principal> authenticate) {
        this.authenticate = authenticate;
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
                principal = authenticate.apply(presented);
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
