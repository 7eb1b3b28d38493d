package dev.streams.history.internal;

import dev.streams.devices.DeviceIngestor;
import dev.streams.core.Event;
import dev.streams.core.HistoryQuery;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;

/**
 * Every statement the store runs, over one writer connection (owned by the writer thread) and a small pool of
 * reader connections (SQLite in WAL mode: readers never block the writer, nor it them).
 */
public final class Database implements AutoCloseable {
    /** The columns an event is rebuilt from (project and topic come from the caller, who asked by topic). */
    private static final String EVENT_COLUMNS = "epoch, event_offset, server_time, content_type, attributes, data,"
            + " payload";

    private final SqlDialect dialect;
    private final Connection writer;
    private final Connections connections;

    /** Opens the database: connections, settings, schema. Throws SQLException with the database's reason. */
    public Database(SqlDialect dialect, DataSource source, int readers) throws SQLException {
        this.dialect = dialect;
        Connection w = Connections.open(dialect, source);
        try {
            try (Statement s = w.createStatement()) {
                for (String ddl : dialect.schema()) {
                    s.execute(ddl);
                }
            }
            w.setAutoCommit(false);
            w.commit();
            this.connections = new Connections(dialect, source, readers);
        } catch (SQLException e) {
            Connections.closeQuietly(w);
            throw e;
        }
        this.writer = w;
    }

    /** The reader connections, for queries kept beside this class ({@link IdempotencyReceipts}). */
    Connections readers() {
        return connections;
    }

    public SqlDialect dialect() {
        return dialect;
    }

    // ---- writer thread only ----

    public String meta(String name) throws SQLException {
        try (PreparedStatement s = writer.prepareStatement("SELECT value FROM streams_meta WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    public void setMeta(String name, String value) throws SQLException {
        try (PreparedStatement s = writer.prepareStatement(dialect.upsertMeta())) {
            s.setString(1, name);
            s.setString(2, value);
            s.executeUpdate();
        }
        writer.commit();
    }

    public int newEpochForEveryTopic() throws SQLException {
        try (Statement s = writer.createStatement()) {
            int changed = s.executeUpdate(dialect.newEpochForEveryTopic());
            writer.commit();
            return changed;
        }
    }

    /**
     * Writes one batch in one transaction: the rows of topics whose epoch is not stored yet, then the events
     * ({@code owners.get(i)} is the history of {@code events.get(i)}). Only after the commit are the new topics
     * told their ids.
     */
    public void writeBatch(List<DurableTopicHistory> newTopics, List<DurableTopicHistory> owners, List<Event> events)
            throws SQLException {
        Map<DurableTopicHistory, long[]> ids = new java.util.IdentityHashMap<>();
        try {
            for (DurableTopicHistory t : newTopics) {
                long projectId = projectId(t.project());
                ids.put(t, new long[] {projectId, topicId(projectId, t.topic(), t.epoch())});
            }
            try (PreparedStatement s = writer.prepareStatement(dialect.insertEvent())) {
                for (int i = 0; i < events.size(); i++) {
                    DurableTopicHistory owner = owners.get(i);
                    long[] fresh = ids.get(owner);
                    bind(s, events.get(i), fresh != null ? fresh[1] : owner.topicId(),
                            fresh != null ? fresh[0] : owner.projectId(), true);
                    s.addBatch();
                }
                s.executeBatch();
            }
            writer.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            throw e;
        }
        ids.forEach((t, pair) -> t.stored(pair[0], pair[1]));
    }

    private long projectId(String project) throws SQLException {
        try (PreparedStatement s = writer.prepareStatement(dialect.insertProject())) {
            s.setString(1, project);
            s.executeUpdate();
        }
        try (PreparedStatement s = writer.prepareStatement("SELECT id FROM streams_projects WHERE name = ?")) {
            s.setString(1, project);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private long topicId(long projectId, String topic, long epoch) throws SQLException {
        try (PreparedStatement s = writer.prepareStatement(dialect.upsertTopic())) {
            s.setLong(1, projectId);
            s.setString(2, topic);
            s.setLong(3, epoch);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /**
     * Writes one event on its own; with {@code asJson} false its payload goes in the bytes column only (for a
     * payload labelled JSON that the database refuses as JSON).
     */
    public void writeOne(Event event, long topicId, long projectId, boolean asJson) throws SQLException {
        try (PreparedStatement s = writer.prepareStatement(dialect.insertEvent())) {
            bind(s, event, topicId, projectId, asJson);
            s.executeUpdate();
            writer.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            throw e;
        }
    }

    private void bind(PreparedStatement s, Event e, long topicId, long projectId, boolean asJson) throws SQLException {
        String device = e.attributes().get(DeviceIngestor.DEVICE_ID);
        Long deviceTime = deviceTime(e.attributes().get(DeviceIngestor.DEVICE_TIME));
        boolean json = asJson && e.isJson();
        s.setLong(1, topicId);
        s.setLong(2, e.epoch());
        s.setLong(3, e.offset());
        s.setLong(4, projectId);
        s.setLong(5, e.timestampNanos());
        if (deviceTime == null) {
            s.setNull(6, Types.BIGINT);
        } else {
            s.setLong(6, deviceTime);
        }
        s.setLong(7, deviceTime != null ? deviceTime : e.timestampNanos());
        s.setString(8, device);
        s.setString(9, e.contentType());
        s.setString(10, AttributeCodec.encode(e.attributes()));
        if (json) {
            s.setString(11, e.payloadAsString());
            if (dialect.keepsJsonText()) {
                s.setNull(12, Types.BINARY);
            } else {
                s.setBytes(12, e.payload());
            }
        } else {
            s.setNull(11, Types.VARCHAR);
            s.setBytes(12, e.payload());
        }
        s.setLong(13, e.sizeInBytes());
    }

    private static Long deviceTime(String rfc3339) {
        if (rfc3339 == null) {
            return null;
        }
        try {
            long nanos = Event.epochNanosOf(Instant.parse(rfc3339));
            // A time no long holds is kept as no device time, not as the end of time.
            return nanos == Long.MIN_VALUE || nanos == Long.MAX_VALUE ? null : nanos;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private void rollbackQuietly() {
        try {
            writer.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the next attempt reports it
        }
    }

    /** Deletes a project's events older than {@code serverTime}; returns how many. */
    public int deleteOlderThan(long project, long serverTime) throws SQLException {
        try (PreparedStatement s = writer.prepareStatement(
                "DELETE FROM streams_events WHERE project_id = ? AND server_time < ?")) {
            s.setLong(1, project);
            s.setLong(2, serverTime);
            int deleted = s.executeUpdate();
            writer.commit();
            return deleted;
        }
    }

    /**
     * The server time at and below which a project's events must go so that at most {@code maxEvents} and
     * {@code maxBytes} remain (newest kept), or {@code Long.MIN_VALUE} when nothing must.
     */
    public long retentionCutoff(long project, long maxEvents, long maxBytes) throws SQLException {
        String sql = "SELECT server_time FROM (SELECT server_time, SUM(size) OVER (ORDER BY server_time DESC,"
                + " event_offset DESC) AS bytes, ROW_NUMBER() OVER (ORDER BY server_time DESC, event_offset DESC) AS n"
                + " FROM streams_events WHERE project_id = ?) AS newest WHERE n > ? OR bytes > ?"
                + " ORDER BY server_time DESC LIMIT 1";
        try (PreparedStatement s = writer.prepareStatement(sql)) {
            s.setLong(1, project);
            s.setLong(2, maxEvents);
            s.setLong(3, maxBytes);
            try (ResultSet r = s.executeQuery()) {
                long cutoff = r.next() ? r.getLong(1) : Long.MIN_VALUE;
                writer.commit();
                return cutoff;
            }
        }
    }

    /** Deletes a project's events at or before {@code serverTime}. */
    public int deleteUpTo(long project, long serverTime) throws SQLException {
        try (PreparedStatement s = writer.prepareStatement(
                "DELETE FROM streams_events WHERE project_id = ? AND server_time <= ?")) {
            s.setLong(1, project);
            s.setLong(2, serverTime);
            int deleted = s.executeUpdate();
            writer.commit();
            return deleted;
        }
    }

    /** Every project by id and name. */
    public Map<Long, String> projects() throws SQLException {
        Map<Long, String> out = new java.util.LinkedHashMap<>();
        try (Statement s = writer.createStatement();
             ResultSet r = s.executeQuery("SELECT id, name FROM streams_projects")) {
            while (r.next()) {
                out.put(r.getLong(1), r.getString(2));
            }
        }
        writer.commit();
        return out;
    }

    // ---- any thread (reader pool) ----

    /**
     * A topic's stored state: its ids and epoch (ids 0 and epoch null when never stored), its last offset and
     * time in that epoch.
     */
    public record TopicState(long projectId, long topicId, Long epoch, long lastOffset, long lastTimestampNanos) {
    }

    public TopicState topic(String project, String topic) throws SQLException {
        return connections.read(c -> {
            long projectId;
            long topicId;
            long epoch;
            try (PreparedStatement s = c.prepareStatement("SELECT p.id, t.id, t.epoch FROM streams_topics t"
                    + " JOIN streams_projects p ON p.id = t.project_id WHERE p.name = ? AND t.name = ?")) {
                s.setString(1, project);
                s.setString(2, topic);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return new TopicState(0, 0, null, 0, 0);
                    }
                    projectId = r.getLong(1);
                    topicId = r.getLong(2);
                    epoch = r.getLong(3);
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT MAX(event_offset), MAX(server_time) FROM streams_events"
                    + " WHERE topic_id = ? AND epoch = ?")) {
                s.setLong(1, topicId);
                s.setLong(2, epoch);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return new TopicState(projectId, topicId, epoch, r.getLong(1), r.getLong(2));
                }
            }
        });
    }

    /** The first stored offset of a topic's epoch, or {@code Long.MAX_VALUE} when none is stored. */
    public long firstOffset(long topicId, long epoch) throws SQLException {
        return connections.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT MIN(event_offset) FROM streams_events"
                    + " WHERE topic_id = ? AND epoch = ?")) {
                s.setLong(1, topicId);
                s.setLong(2, epoch);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    long first = r.getLong(1);
                    return r.wasNull() ? Long.MAX_VALUE : first;
                }
            }
        });
    }

    /** The newest {@code limit} events of an epoch with offsets in [from, to], oldest first. */
    public List<Event> range(String project, String topic, long topicId, long epoch, long from, long to, int limit)
            throws SQLException {
        return events("SELECT " + EVENT_COLUMNS + " FROM streams_events WHERE topic_id = ? AND epoch = ?"
                + " AND event_offset >= ? AND event_offset <= ? ORDER BY event_offset DESC LIMIT ?",
                project, topic, topicId, epoch, from, to, limit);
    }

    /** The newest {@code limit} events of an epoch at or after a server time, below an offset; oldest first. */
    public List<Event> since(String project, String topic, long topicId, long epoch, long serverTime, long belowOffset,
                             int limit) throws SQLException {
        return events("SELECT " + EVENT_COLUMNS + " FROM streams_events WHERE topic_id = ? AND epoch = ?"
                + " AND server_time >= ? AND event_offset < ? ORDER BY event_offset DESC LIMIT ?",
                project, topic, topicId, epoch, serverTime, belowOffset, limit);
    }

    private List<Event> events(String sql, String project, String topic, long topicId, long epoch, long a, long b,
                               int limit) throws SQLException {
        return connections.read(c -> {
            List<Event> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setLong(1, topicId);
                s.setLong(2, epoch);
                s.setLong(3, a);
                s.setLong(4, b);
                s.setInt(5, limit);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(event(project, topic, r));
                    }
                }
            }
            Collections.reverse(out);
            return out;
        });
    }

    private static Event event(String project, String topic, ResultSet r) throws SQLException {
        byte[] payload = r.getBytes(7);
        if (payload == null) {
            String data = r.getString(6);
            payload = data == null ? null : data.getBytes(StandardCharsets.UTF_8);
        }
        return new Event(project, topic, r.getLong(1), r.getLong(2), r.getLong(3),
                payload == null ? new byte[0] : payload, r.getString(4), AttributeCodec.decode(r.getString(5)));
    }

    /**
     * Runs a history query: the page and the total, each stopped in the database at {@code deadlineNanos}
     * ({@link System#nanoTime()}) by {@code timers}, and the page at most {@code maxResultBytes} of values.
     */
    public HistoryQuery.Result query(HistoryQuery query, long deadlineNanos, ScheduledExecutorService timers,
                                     long maxResultBytes) throws SQLException {
        QuerySql sql = new QuerySql(dialect, query);
        return connections.read(c -> sql.run(c, deadlineNanos, timers, maxResultBytes));
    }

    @Override
    public void close() {
        Connections.closeQuietly(writer);
        connections.close();
    }
}
