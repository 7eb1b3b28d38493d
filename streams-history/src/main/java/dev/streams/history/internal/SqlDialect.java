package dev.streams.history.internal;

import java.util.List;

/**
 * What differs between the databases the store runs on; everything else is the same SQL. Column names avoid
 * reserved words ({@code offset}, {@code time}) so that no statement needs quoting.
 */
public enum SqlDialect {
    /** Embedded, one file (plus its WAL) in a data directory. */
    SQLITE("INTEGER", "TEXT", "BLOB", "?", "abs(random())"),
    /** A server the host runs; JSON in {@code jsonb}. */
    POSTGRES("BIGINT", "JSONB", "BYTEA", "CAST(? AS JSONB)", "floor(random() * 9.2e18)::bigint");

    private final String bigint;
    private final String json;
    private final String bytes;
    private final String jsonParameter;
    private final String randomEpoch;

    SqlDialect(String bigint, String json, String bytes, String jsonParameter, String randomEpoch) {
        this.bigint = bigint;
        this.json = json;
        this.bytes = bytes;
        this.jsonParameter = jsonParameter;
        this.randomEpoch = randomEpoch;
    }

    /**
     * Whether the JSON column gives back exactly the text stored. PostgreSQL's jsonb normalizes (key order,
     * spaces), so there the payload's bytes are stored too and read back instead: data is delivered as sent.
     */
    public boolean keepsJsonText() {
        return this == SQLITE;
    }

    /** The schema, idempotent. */
    public List<String> schema() {
        return List.of(
                "CREATE TABLE IF NOT EXISTS streams_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
                "CREATE TABLE IF NOT EXISTS streams_topics (project TEXT NOT NULL, topic TEXT NOT NULL, epoch " + bigint
                        + " NOT NULL, PRIMARY KEY (project, topic))",
                "CREATE TABLE IF NOT EXISTS streams_events (project TEXT NOT NULL, topic TEXT NOT NULL, epoch " + bigint
                        + " NOT NULL, event_offset " + bigint + " NOT NULL, server_time " + bigint + " NOT NULL,"
                        + " device_time " + bigint + ", event_time " + bigint + " NOT NULL, device_id TEXT,"
                        + " content_type TEXT NOT NULL, attributes TEXT NOT NULL, data " + json + ", payload " + bytes
                        + ", size " + bigint + " NOT NULL, PRIMARY KEY (project, topic, epoch, event_offset))",
                "CREATE INDEX IF NOT EXISTS streams_events_topic_time ON streams_events (project, topic, event_time)",
                "CREATE INDEX IF NOT EXISTS streams_events_project_time ON streams_events (project, event_time)",
                "CREATE INDEX IF NOT EXISTS streams_events_server_time ON streams_events (project, server_time)");
    }

    /** Settings applied to every connection (SQLite: WAL, so readers never block the writer). */
    public List<String> connectionSettings() {
        return this == SQLITE
                ? List.of("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=5000")
                : List.of();
    }

    /**
     * Idempotent: a batch retried after a failure whose outcome was unclear (a commit that did not answer, a
     * database that rolled back only part of a statement when it filled up) stores each event once.
     */
    public String insertEvent() {
        return "INSERT INTO streams_events (project, topic, epoch, event_offset, server_time, device_time, event_time,"
                + " device_id, content_type, attributes, data, payload, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                + jsonParameter + ", ?, ?) ON CONFLICT DO NOTHING";
    }

    public String upsertTopic() {
        return "INSERT INTO streams_topics (project, topic, epoch) VALUES (?, ?, ?)"
                + " ON CONFLICT (project, topic) DO UPDATE SET epoch = excluded.epoch";
    }

    public String upsertMeta() {
        return "INSERT INTO streams_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value";
    }

    /** Gives every topic a new random epoch (after an unclean shutdown). */
    public String newEpochForEveryTopic() {
        return "UPDATE streams_topics SET epoch = " + randomEpoch;
    }
}
