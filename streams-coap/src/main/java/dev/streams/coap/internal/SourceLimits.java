package dev.streams.coap.internal;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.ConnectionListener;
import org.eclipse.californium.scandium.DtlsDatagramFilter;
import org.eclipse.californium.scandium.dtls.Connection;
import org.eclipse.californium.scandium.dtls.Record;

/**
 * DTLS sessions per source address: the handshake of a new connection (its records past the stateless cookie
 * exchange) from an address that holds {@code max} sessions already is dropped, and counted.
 * Sessions are counted as Scandium establishes and removes them (removal includes the least recently used ones
 * it evicts for room, and stale ones). Handshakes themselves cost no state until the client has answered the
 * stateless cookie exchange, so a flood from forged addresses does not reach this count; the connector's queue
 * bound ({@code maxQueuedRecords}) limits the rest. Scandium's own record checks run after this one.
 */
public final class SourceLimits extends DtlsDatagramFilter implements ConnectionListener {
    private final int max;
    private final CoapCounters counters;
    private final ConcurrentHashMap<InetAddress, AtomicInteger> sessions = new ConcurrentHashMap<>();
    /** The address each counted session was counted under (a connection's address may change later). */
    private final ConcurrentHashMap<Connection, InetAddress> counted = new ConcurrentHashMap<>();

    public SourceLimits(Configuration config, int maxSessionsPerAddress, CoapCounters counters) {
        super(config);
        this.max = maxSessionsPerAddress;
        this.counters = counters;
    }

    @Override
    public boolean onReceiving(Record record, Connection connection) {
        // The cookie exchange is stateless and passes no connection here: the first records seen on a connection
        // without a session are its handshake's, past the cookie, and those are what the limit drops.
        if (!connection.hasEstablishedDtlsContext()) {
            AtomicInteger held = sessions.get(record.getPeerAddress().getAddress());
            if (held != null && held.get() >= max) {
                counters.refusedBySource.increment();
                return false;
            }
        }
        return super.onReceiving(record, connection);
    }

    @Override
    public void onConnectionEstablished(Connection connection) {
        InetAddress address = connection.getPeerAddress() == null ? null : connection.getPeerAddress().getAddress();
        if (address != null && counted.putIfAbsent(connection, address) == null) {
            sessions.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        }
    }

    @Override
    public void onConnectionRemoved(Connection connection) {
        InetAddress address = counted.remove(connection);
        if (address != null) {
            sessions.computeIfPresent(address, (a, held) -> held.decrementAndGet() <= 0 ? null : held);
        }
    }

    @Override
    public boolean onConnectionUpdatesSequenceNumbers(Connection connection, boolean writeSequenceNumber) {
        return false;
    }

    @Override
    public boolean onConnectionMacError(Connection connection) {
        return false;
    }

    @Override
    public void beforeExecution(Connection connection) {
    }

    @Override
    public void updateExecution(Connection connection) {
    }

    @Override
    public void afterExecution(Connection connection) {
    }
}
