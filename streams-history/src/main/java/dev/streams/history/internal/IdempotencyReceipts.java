package dev.streams.history.internal;

import dev.streams.core.Event;
import dev.streams.core.Idempotency;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one query a restarting broker asks of the store for idempotency: events of the last window that carry a key
 * (stored in their attributes, in the same transaction as the event), so a retry after the restart is stored once.
 */
final class IdempotencyReceipts {
    private IdempotencyReceipts() {
    }

    /**
     * Events stored at or after a server time whose attributes hold an idempotency key, oldest first, at most
     * {@code limit}, without payloads: what a restarted broker remembers so that a retry is stored once.
     */
    static List<Event> read(Connections connections, long serverTime, int limit) throws SQLException {
        return connections.read(c -> {
            List<Event> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT p.name, t.name, e.epoch, e.event_offset, e.server_time,"
                    + " e.content_type, e.attributes FROM streams_events e JOIN streams_topics t ON t.id = e.topic_id"
                    + " JOIN streams_projects p ON p.id = e.project_id WHERE e.server_time >= ? AND e.attributes LIKE ?"
                    + " ORDER BY e.server_time LIMIT ?")) {
                s.setLong(1, serverTime);
                s.setString(2, "%\"" + Idempotency.KEY + "\"%");
                s.setInt(3, limit);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(new Event(r.getString(1), r.getString(2), r.getLong(3), r.getLong(4), r.getLong(5),
                                new byte[0], r.getString(6), AttributeCodec.decode(r.getString(7))));
                    }
                }
            }
            return out;
        });
    }
}
