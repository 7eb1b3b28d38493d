package dev.streams.history.internal;

import dev.streams.core.Event;
import dev.streams.core.HistoryQuery;
import dev.streams.core.HistoryQuery.Field;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of a history query's page as values: the columns {@link QuerySql} selected for each field, read back
 * by the field's kind, under the field's alias.
 */
final class QueryRows {
    /** How a field's columns read back: one column each, two for a JSON path (its type, then its text). */
    enum Kind { TIME, DEVICE, ID, ALL, PATH, AGGREGATE }

    private final List<Field> fields;
    private final List<Kind> kinds;

    QueryRows(List<Field> fields, List<Kind> kinds) {
        this.fields = fields;
        this.kinds = kinds;
    }

    /** The result set's current row, by alias. */
    Map<String, Object> read(ResultSet r) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        int column = 1;
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            switch (kinds.get(i)) {
                case TIME -> {
                    long ns = r.getLong(column++);
                    row.put(f.alias(), Event.instantOf(ns).toString());
                }
                case DEVICE, ID -> row.put(f.alias(), r.getString(column++));
                case ALL -> {
                    String json = r.getString(column++);
                    row.put(f.alias(), json == null ? null : new HistoryQuery.Json(json));
                }
                case PATH -> {
                    String type = r.getString(column++);
                    String text = r.getString(column++);
                    row.put(f.alias(), value(type, text));
                }
                case AGGREGATE -> row.put(f.alias(), number(r.getString(column++)));
            }
        }
        return row;
    }

    /** About the bytes a row's values take (their text), for the result-size bound. */
    static long sizeOf(Map<String, Object> row) {
        long bytes = 16;
        for (Map.Entry<String, Object> e : row.entrySet()) {
            Object v = e.getValue();
            bytes += e.getKey().length() + 8
                    + (v instanceof HistoryQuery.Json json ? json.text().length() : v == null ? 4 : v.toString().length());
        }
        return bytes;
    }

    /**
     * A stored number, or null for one no decimal can hold: an infinity stored before ingest refused them, or
     * an aggregate that overflowed. One such reading must not break every query of its field.
     */
    private static BigDecimal number(String text) {
        if (text == null) {
            return null;
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException notFinite) {
            return null;
        }
    }

    private static Object value(String type, String text) {
        if (type == null || text == null || type.equals("null")) {
            return null;
        }
        return switch (type) {
            case "integer", "real", "number" -> number(text);
            case "true", "false", "boolean" -> Boolean.valueOf(text.equals("1") || text.equals("true"));
            case "object", "array" -> new HistoryQuery.Json(text);
            default -> text;
        };
    }
}
