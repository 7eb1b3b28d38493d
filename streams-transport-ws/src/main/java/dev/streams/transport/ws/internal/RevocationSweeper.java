package dev.streams.transport.ws.internal;

import dev.streams.auth.Principal;
import dev.streams.auth.StreamsAuth;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Ends the sessions whose credential was revoked: an API key, a JWT signed with it, or a token issued under it
 * (see {@link Principal#apiKey()}). A few times a second it asks the key store once per distinct key that open
 * sessions stand on, and hands each session of a revoked key to its event loop, where it closes with the
 * dialect's REVOKED failure. Polling rather than a callback: a key may be revoked by another process (the key
 * file's command line) or in a store the host owns, and the store only promises that its next lookup sees it.
 *
 * <p>Runs on one event loop's thread; reads each session's credential, which the session publishes through a
 * volatile field, and never touches a session's state itself.
 */
public final class RevocationSweeper implements Runnable {
    /** How often open sessions are checked: a revocation ends them within about this. */
    public static final Duration PERIOD = Duration.ofMillis(250);

    private final Supplier<List<Session>> sessions;
    private final StreamsAuth auth;

    public RevocationSweeper(Supplier<List<Session>> sessions, StreamsAuth auth) {
        this.sessions = sessions;
        this.auth = auth;
    }

    @Override
    public void run() {
        Map<String, Boolean> revokedByKey = new HashMap<>();
        for (Session session : sessions.get()) {
            Principal credential = session.credential();
            if (credential == null || credential.apiKey() == null) {
                continue;
            }
            boolean revoked;
            try {
                revoked = revokedByKey.computeIfAbsent(credential.apiKey(), key -> auth.isRevoked(credential));
            } catch (RuntimeException storeFailed) {
                // A store that cannot answer now (a file being replaced, a database down) is asked again next time.
                return;
            }
            if (revoked) {
                session.channelExecute(() -> session.revoked(credential));
            }
        }
    }
}
