package dev.streams.history.internal;

import dev.streams.core.Event;
import dev.streams.core.HistoryQuery;
import dev.streams.core.HistoryQuery.Compare;
import dev.streams.core.HistoryQuery.Field;
import dev.streams.core.HistoryQuery.Filter;
import dev.streams.core.HistoryQuery.Group;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One {@link HistoryQuery} as SQL over the stored JSON, for one dialect: every value is a bound parameter
 * (paths too), so nothing a client sends becomes SQL text. The database filters, groups and aggregates; Java
 * only turns the page of rows into values.
 */
final class QuerySql {
    private final SqlDialect dialect;
    private final HistoryQuery query;
    private final List<QueryRows.Kind> kinds = new ArrayList<>();
    /** The query's fields, or the default ones (time, deviceId and the whole reading). */
    private final List<Field> fields;
    private final List<Object> selectParams = new ArrayList<>();
    private final List<Object> whereParams = new ArrayList<>();
    private final String select;
    private final String where;
    private final String groupBy;
    private final String orderBy;

    QuerySql(SqlDialect dialect, HistoryQuery query) {
        this.dialect = dialect;
        this.query = query;
        this.fields = query.fields().isEmpty()
                ? List.of(new Field(HistoryQuery.TIME, null, null), new Field(HistoryQuery.DEVICE_ID, null, null),
                new Field(HistoryQuery.ALL, null, null))
                : query.fields();
        List<String> columns = new ArrayList<>();
        List<Integer> grouped = new ArrayList<>();
        Integer timeColumn = null;
        for (Field f : fields) {
            int at = columns.size() + 1;
            if (f.aggregate() != null) {
                columns.add(aggregate(f));
                kinds.add(QueryRows.Kind.AGGREGATE);
                continue;
            }
            switch (f.path()) {
                case HistoryQuery.TIME -> {
                    if (query.timeBucket() != null) {
                        long bucket = query.timeBucket().toNanos();
                        columns.add("(event_time / " + bucket + ") * " + bucket);
                    } else {
                        columns.add("event_time");
                    }
                    kinds.add(QueryRows.Kind.TIME);
                    timeColumn = at;
                    grouped.add(at);
                }
                case HistoryQuery.DEVICE_ID -> {
                    columns.add("device_id");
                    kinds.add(QueryRows.Kind.DEVICE);
                    grouped.add(at);
                }
                case HistoryQuery.ID -> {
                    columns.add("CAST(epoch AS TEXT) || '-' || CAST(event_offset AS TEXT)");
                    kinds.add(QueryRows.Kind.ID);
                    grouped.add(at);
                }
                case HistoryQuery.ALL -> {
                    columns.add(dialect == SqlDialect.SQLITE ? "data" : "data::text");
                    kinds.add(QueryRows.Kind.ALL);
                    grouped.add(at);
                }
                default -> {
                    columns.add(type(f.path(), selectParams));
                    columns.add(text(f.path(), selectParams));
                    kinds.add(QueryRows.Kind.PATH);
                    grouped.add(at);
                    grouped.add(at + 1);
                }
            }
        }
        this.select = "SELECT " + String.join(", ", columns);
        StringBuilder w = new StringBuilder(" FROM streams_events WHERE project_id = (SELECT id FROM streams_projects"
                + " WHERE name = ?) AND event_time >= ? AND event_time < ?");
        whereParams.add(query.project());
        whereParams.add(nanos(query.start()));
        whereParams.add(nanos(query.end()));
        if (!query.allTopics()) {
            // Only topics the asker may read: matched against the project's topic names (a small table), so
            // the events are still found through the time indexes.
            List<String> matches = new ArrayList<>();
            for (String pattern : query.topics()) {
                matches.add(dialect.topicNameMatches());
                whereParams.add(topicRegex(pattern));
            }
            w.append(" AND topic_id IN (SELECT id FROM streams_topics WHERE project_id = (SELECT id FROM")
                    .append(" streams_projects WHERE name = ?) AND (").append(String.join(" OR ", matches)).append("))");
            whereParams.add(whereParams.size() - query.topics().size(), query.project());
        }
        if (!query.deviceIds().isEmpty()) {
            w.append(" AND device_id IN (").append(placeholders(query.deviceIds().size())).append(')');
            whereParams.addAll(query.deviceIds());
        }
        if (query.filter() != null) {
            w.append(" AND ").append(filter(query.filter()));
        }
        this.where = w.toString();
        boolean aggregated = query.aggregated();
        this.groupBy = aggregated && !grouped.isEmpty() ? " GROUP BY " + join(grouped) : "";
        if (timeColumn != null) {
            // Newest first; within one time (a bucket) the other groups in a stable order.
            List<Integer> rest = new ArrayList<>(grouped);
            rest.remove(timeColumn);
            this.orderBy = " ORDER BY " + timeColumn + " DESC" + (aggregated && !rest.isEmpty() ? ", " + join(rest) : "");
        } else {
            this.orderBy = aggregated ? (grouped.isEmpty() ? "" : " ORDER BY " + join(grouped)) : " ORDER BY event_time DESC";
        }
    }

    /**
     * A topic pattern as a regular expression that both databases read alike: {@code *} is one token,
     * {@code >} the rest, and every other character that is not a letter, digit, {@code _} or {@code -} is
     * escaped.
     */
    static String topicRegex(String pattern) {
        StringBuilder out = new StringBuilder(pattern.length() * 2).append('^');
        String[] tokens = pattern.split("\\.", -1);
        for (int i = 0; i < tokens.length; i++) {
            if (i > 0) {
                out.append("\\.");
            }
            switch (tokens[i]) {
                case "*" -> out.append("[^.]+");
                case ">" -> out.append(".+");
                default -> {
                    for (char c : tokens[i].toCharArray()) {
                        if (!Character.isLetterOrDigit(c) && c != '_' && c != '-') {
                            out.append('\\');
                        }
                        out.append(c);
                    }
                }
            }
        }
        return out.append('$').toString();
    }

    private static String join(List<Integer> ordinals) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < ordinals.size(); i++) {
            out.append(i == 0 ? "" : ", ").append(ordinals.get(i));
        }
        return out.toString();
    }

    private static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    private static long nanos(Instant t) {
        return Event.epochNanosOf(t);
    }

    /** The dialect's parameter for a JSON path: {@code $.a.b} for SQLite, {@code {a,b}} for PostgreSQL. */
    private Object pathParam(String path) {
        return dialect == SqlDialect.SQLITE ? "$." + path : "{" + path.replace('.', ',') + "}";
    }

    /** The JSON type at a path ({@code null} when absent). */
    private String type(String path, List<Object> params) {
        params.add(pathParam(path));
        return dialect == SqlDialect.SQLITE ? "json_type(data, ?)" : "jsonb_typeof(data #> CAST(? AS text[]))";
    }

    /** The value at a path as text (JSON text for objects and arrays). */
    private String text(String path, List<Object> params) {
        params.add(pathParam(path));
        return dialect == SqlDialect.SQLITE ? "json_extract(data, ?)" : "data #>> CAST(? AS text[])";
    }

    private String number(String path, List<Object> params) {
        String type = type(path, params);
        String value = text(path, params);
        return dialect == SqlDialect.SQLITE
                ? "(CASE WHEN " + type + " IN ('integer', 'real') THEN " + value + " END)"
                : "(CASE WHEN " + type + " = 'number' THEN CAST(" + value + " AS NUMERIC) END)";
    }

    private String string(String path, List<Object> params) {
        String type = type(path, params);
        String value = text(path, params);
        return "(CASE WHEN " + type + (dialect == SqlDialect.SQLITE ? " = 'text'" : " = 'string'") + " THEN " + value
                + " END)";
    }

    private String aggregate(Field f) {
        if (f.aggregate() == HistoryQuery.Aggregate.COUNT) {
            return f.path().equals(HistoryQuery.ALL) ? "COUNT(*)" : "COUNT(" + type(f.path(), selectParams) + ")";
        }
        return f.aggregate().name() + "(" + number(f.path(), selectParams) + ")";
    }

    private String filter(Filter filter) {
        if (filter instanceof Group group) {
            List<String> parts = new ArrayList<>();
            for (Filter f : group.filters()) {
                parts.add(filter(f));
            }
            return "(" + String.join(group.and() ? " AND " : " OR ", parts) + ")";
        }
        Compare c = (Compare) filter;
        Object first = c.values().get(0);
        String left;
        List<Object> values = new ArrayList<>();
        if (c.path().equals(HistoryQuery.TIME)) {
            left = "event_time";
            for (Object v : c.values()) {
                values.add(nanos(OffsetDateTime.parse((String) v).toInstant()));
            }
        } else if (c.path().equals(HistoryQuery.DEVICE_ID)) {
            left = "device_id";
            for (Object v : c.values()) {
                values.add(v.toString());
            }
        } else if (first instanceof Number) {
            left = number(c.path(), whereParams);
            for (Object v : c.values()) {
                values.add(new BigDecimal(v.toString()));
            }
        } else if (first instanceof Boolean) {
            left = dialect == SqlDialect.SQLITE ? type(c.path(), whereParams)
                    : "(CASE WHEN " + type(c.path(), whereParams) + " = 'boolean' THEN " + text(c.path(), whereParams) + " END)";
            for (Object v : c.values()) {
                values.add(v.toString());
            }
        } else {
            left = string(c.path(), whereParams);
            values.addAll(c.values());
        }
        whereParams.addAll(values);
        if (values.size() > 1) {
            return left + (c.op() == HistoryQuery.Op.EQ ? " IN (" : " NOT IN (") + placeholders(values.size()) + ")";
        }
        String op = switch (c.op()) {
            case EQ -> " = ";
            case NE -> " <> ";
            case LT -> " < ";
            case LE -> " <= ";
            case GT -> " > ";
            case GE -> " >= ";
        };
        return left + op + "?";
    }

    /**
     * Runs the query on {@code c}: the page and the total, each statement stopped in the database at
     * {@code deadlineNanos}. A page whose values pass {@code maxResultBytes} is refused rather than built.
     */
    HistoryQuery.Result run(Connection c, long deadlineNanos, ScheduledExecutorService timers, long maxResultBytes)
            throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        QueryRows reader = new QueryRows(fields, kinds);
        long bytes = 0;
        try (PreparedStatement s = c.prepareStatement(pageSql());
             StatementDeadline deadline = new StatementDeadline(s, deadlineNanos, timers)) {
            bindPage(s);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Map<String, Object> row = reader.read(r);
                    bytes += QueryRows.sizeOf(row);
                    if (bytes > maxResultBytes) {
                        throw new ResultTooLarge(maxResultBytes);
                    }
                    rows.add(row);
                }
            } catch (SQLException e) {
                throw deadline.fired() ? new DeadlinePassed(e) : e;
            }
        }
        long total;
        try (PreparedStatement s = c.prepareStatement(countSql());
             StatementDeadline deadline = new StatementDeadline(s, deadlineNanos, timers)) {
            bindCount(s);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                total = r.getLong(1);
            } catch (SQLException e) {
                throw deadline.fired() ? new DeadlinePassed(e) : e;
            }
        }
        return new HistoryQuery.Result(rows, total, query.page(), query.perPage());
    }

    /** A statement the deadline stopped. */
    static final class DeadlinePassed extends SQLException {
        DeadlinePassed(SQLException cause) {
            super("the query passed its deadline", cause);
        }
    }

    /** A page larger than the store answers with. */
    static final class ResultTooLarge extends SQLException {
        ResultTooLarge(long limit) {
            super("the answer is larger than " + limit + " bytes; ask for fewer rows or fields");
        }
    }

    /** The page's statement. */
    private String pageSql() {
        return select + where + groupBy + orderBy + " LIMIT ? OFFSET ?";
    }

    /** The statement counting every row of the answer. */
    private String countSql() {
        return "SELECT COUNT(*) FROM (" + select + where + groupBy + ") AS answer";
    }

    private void bindPage(PreparedStatement s) throws SQLException {
        int i = bind(s, 1, selectParams);
        i = bind(s, i, whereParams);
        s.setInt(i++, query.perPage());
        s.setInt(i, query.page() * query.perPage());
    }

    private void bindCount(PreparedStatement s) throws SQLException {
        bind(s, bind(s, 1, selectParams), whereParams);
    }

    private int bind(PreparedStatement s, int at, List<Object> params) throws SQLException {
        for (Object p : params) {
            if (p instanceof BigDecimal n && dialect == SqlDialect.SQLITE) {
                // SQLite would bind a BigDecimal as text, and text never equals a number there.
                BigDecimal whole = n.stripTrailingZeros();
                if (whole.scale() <= 0 && whole.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0
                        && whole.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) >= 0) {
                    s.setLong(at++, whole.longValueExact());
                } else {
                    s.setDouble(at++, n.doubleValue());
                }
            } else {
                s.setObject(at++, p);
            }
        }
        return at;
    }
}
