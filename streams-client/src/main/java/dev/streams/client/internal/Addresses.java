package dev.streams.client.internal;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.List;

/**
 * Where the client connects, and when it tries again: the server's address, or a cluster's nodes tried in turn, one per connection
 * attempt, so a node that went away is not asked twice in a row (the cursors the client resumes with mean the
 * same on every node). Each address asks for several frames per message ({@code batch=true}), which a burst
 * of events then shares. Used by the connecting thread only.
 */
final class Addresses {
    private final List<URI> uris;
    private int next;

    Addresses(List<URI> uris) {
        this.uris = uris.stream().map(Addresses::batched).toList();
    }

    /** The address of the next connection attempt. */
    URI next() {
        return uris.get(Math.floorMod(next++, uris.size()));
    }

    private static URI batched(URI uri) {
        String query = uri.getRawQuery();
        if (query != null && (query.startsWith("batch=") || query.contains("&batch="))) {
            return uri;
        }
        String s = uri.toString();
        int fragment = s.indexOf('#');
        String base = fragment < 0 ? s : s.substring(0, fragment);
        return URI.create(base + (query == null ? "?" : "&") + "batch=true" + (fragment < 0 ? "" : s.substring(fragment)));
    }

    /**
     * Exponential backoff with jitter: the ceiling doubles from {@code initial} up to {@code max} with each failed
     * attempt, and the wait is between half the ceiling and the ceiling, so reconnecting clients spread out.
     */
    static long backoffMillis(Duration initial, Duration max, int attempt) {
        long ceiling = Math.min(max.toMillis(), initial.toMillis() << Math.min(attempt, 20));
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }
}
