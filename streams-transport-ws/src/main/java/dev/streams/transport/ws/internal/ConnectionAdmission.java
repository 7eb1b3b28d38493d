package dev.streams.transport.ws.internal;

import dev.streams.transport.ws.ConnectionLimits;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts open connections per source address and connections without a credential, and admits a new
 * connection only within both bounds of {@link ConnectionLimits}. Thread-safe: every event loop opens and closes
 * connections here. A source's entry goes when its last connection does, so the map holds only sources with
 * open connections.
 */
public final class ConnectionAdmission {
    /** Why a connection was not admitted, and the status its first request is answered with. */
    public enum Refusal {
        PER_ADDRESS(429, "too many connections from your address"),
        UNAUTHENTICATED(503, "too many connections without a credential");

        final int status;
        final String message;

        Refusal(int status, String message) {
            this.status = status;
            this.message = message;
        }
    }

    private final ConnectionLimits limits;
    private final int maxUnauthenticated;
    private final ConcurrentHashMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final AtomicInteger unauthenticated = new AtomicInteger();
    final LongAdder refusedPerAddress = new LongAdder();
    final LongAdder refusedUnauthenticated = new LongAdder();
    /** Connections closed by the authentication timeout or a keep-alive cap. */
    final LongAdder closedByRule = new LongAdder();

    public ConnectionAdmission(ConnectionLimits limits, int maxConnections) {
        this.limits = limits;
        this.maxUnauthenticated = limits.maxUnauthenticated(maxConnections);
    }

    public ConnectionLimits limits() {
        return limits;
    }

    public long authenticationTimeoutNanos() {
        return limits.authenticationTimeout().toNanos();
    }

    public long maxConnectionAgeNanos() {
        return limits.maxConnectionAge().toNanos();
    }

    /** Open connections without a credential now. */
    public int unauthenticated() {
        return unauthenticated.get();
    }

    /** The address of a peer, or null when it has none (not an IP connection). */
    public static InetAddress addressOf(SocketAddress peer) {
        return peer instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    /**
     * The address a connection from {@code peer} counts under at once: its own, or null for a trusted proxy
     * (whose connections count under the client address they forward, see {@link #acquire}) and for peers
     * without an IP address.
     */
    public String sourceOf(InetAddress peer) {
        // Interned: a connection keeps its source for its whole life, and many share one address.
        return peer == null || limits.isTrustedProxy(peer) ? null : peer.getHostAddress().intern();
    }

    /** Admits a new connection from {@code source} (null: not counted per address), or says why not. */
    public Refusal admit(String source) {
        if (unauthenticated.incrementAndGet() > maxUnauthenticated) {
            unauthenticated.decrementAndGet();
            refusedUnauthenticated.increment();
            return Refusal.UNAUTHENTICATED;
        }
        if (source != null && !acquire(source)) {
            unauthenticated.decrementAndGet();
            return Refusal.PER_ADDRESS;
        }
        return null;
    }

    /** Counts one more connection of {@code source}; false (and counted as refused) when it is at its limit. */
    public boolean acquire(String source) {
        boolean[] acquired = {false};
        perAddress.compute(source, (s, count) -> {
            AtomicInteger c = count == null ? new AtomicInteger() : count;
            if (c.get() < limits.maxPerAddress()) {
                c.incrementAndGet();
                acquired[0] = true;
            }
            return c.get() == 0 ? null : c;
        });
        if (!acquired[0]) {
            refusedPerAddress.increment();
        }
        return acquired[0];
    }

    /** A connection presented its first valid credential. */
    public void authenticated() {
        unauthenticated.decrementAndGet();
    }

    /** An admitted connection closed. */
    public void closed(String source, boolean wasAuthenticated) {
        if (!wasAuthenticated) {
            unauthenticated.decrementAndGet();
        }
        if (source != null) {
            perAddress.computeIfPresent(source, (s, count) -> count.decrementAndGet() == 0 ? null : count);
        }
    }

    /** Open connections counted under {@code source}. */
    public int openFrom(String source) {
        AtomicInteger count = perAddress.get(source);
        return count == null ? 0 : count.get();
    }
}
