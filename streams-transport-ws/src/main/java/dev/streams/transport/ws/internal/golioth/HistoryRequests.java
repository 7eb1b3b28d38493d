package dev.streams.transport.ws.internal.golioth;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import dev.streams.core.HistoryQuery;
import dev.streams.core.HistoryQuery.Aggregate;
import dev.streams.core.HistoryQuery.Compare;
import dev.streams.core.HistoryQuery.Field;
import dev.streams.core.HistoryQuery.Filter;
import dev.streams.core.HistoryQuery.Group;
import dev.streams.core.HistoryQuery.Op;
import dev.streams.transport.ws.internal.BadInput;
import dev.streams.transport.ws.internal.Json;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Golioth's history request, from a GET's query parameters ({@code encodedQuery} carrying the query as JSON)
 * or a POST's JSON body, into a {@link HistoryQuery}. Every way it can be wrong is a {@link BadQuery} whose
 * message goes to the client.
 */
final class HistoryRequests {
    /** What a history query's {@code query} object may hold. */
    private static final List<String> QUERY_MEMBERS = List.of("fields", "filters", "timeBucket", "time_bucket");

    private static final Pattern INTERVAL = Pattern.compile("(\\d{1,9})(ms|s|m|h|d|w)");
    private static final Duration DEFAULT_RANGE = Duration.ofDays(1);

    /** A history request the server cannot answer; the message says why. */
    static final class BadQuery extends BadInput {
        BadQuery(String message) {
            super(message);
        }
    }

    private HistoryRequests() {
    }

    /**
     * Builds the query.
     *
     * @param topics    the topic patterns the asker may read
     * @param params    the request's parameters (from the query string or the body), each as JSON
     * @param deviceIds the devices asked about (one for the device path)
     */
    static HistoryQuery parse(String project, List<String> topics, Map<String, JsonElement> params,
                              List<String> deviceIds, Instant now) {
        if (params.containsKey("tags") || params.containsKey("tags[]")) {
            throw new BadQuery("tags are not supported: this server keeps no device tags; list devices with deviceId[]");
        }
        for (String member : QUERY_MEMBERS) {
            if (params.containsKey(member)) {
                // Ignoring it would answer another question than the one asked.
                throw new BadQuery(member + " belongs inside query: {\"query\":{\"" + member + "\":...}}");
            }
        }
        Instant end = params.containsKey("end") ? time(params.get("end"), "end") : now;
        Instant start;
        if (params.containsKey("start")) {
            start = time(params.get("start"), "start");
        } else if (params.containsKey("interval")) {
            start = end.minus(duration(string(params.get("interval"), "interval"), "interval"));
        } else {
            start = end.minus(DEFAULT_RANGE);
        }
        int page = integer(params.get("page"), "page", 0);
        int perPage = integer(params.get("perPage"), "perPage", 100);
        JsonObject query = new JsonObject();
        JsonElement q = params.get("query");
        if (q != null && !q.isJsonNull()) {
            if (!q.isJsonObject()) {
                throw new BadQuery("query is a JSON object");
            }
            query = q.getAsJsonObject();
            for (String member : query.keySet()) {
                if (!QUERY_MEMBERS.contains(member)) {
                    throw new BadQuery("query." + member + " is not a query member (" + String.join(", ", QUERY_MEMBERS) + ")");
                }
            }
        }
        List<Field> fields = fields(query.get("fields"));
        Filter filter = filters(query.get("filters"), 1);
        JsonElement bucket = query.has("timeBucket") ? query.get("timeBucket") : query.get("time_bucket");
        Duration timeBucket = bucket == null || bucket.isJsonNull() ? null : duration(string(bucket, "timeBucket"), "timeBucket");
        return new HistoryQuery(project, topics, deviceIds, start, end, fields, filter, timeBucket, page, perPage);
    }

    /** Reads a GET's query parameter as JSON: {@code encodedQuery} as JSON text, the others as strings. */
    static JsonElement parameter(String name, String value) {
        if (name.equals("encodedQuery")) {
            try {
                return Json.parseStrict(value);
            } catch (JsonParseException e) {
                throw new BadQuery("encodedQuery is not valid JSON");
            }
        }
        return new JsonPrimitive(value);
    }

    private static List<Field> fields(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return List.of();
        }
        if (!element.isJsonArray()) {
            throw new BadQuery("query.fields is a list");
        }
        List<Field> fields = new ArrayList<>();
        for (JsonElement e : element.getAsJsonArray()) {
            if (!e.isJsonObject()) {
                throw new BadQuery("each field is an object with a path");
            }
            JsonObject f = e.getAsJsonObject();
            String agg = optionalString(f.get("agg"), "agg");
            Aggregate aggregate = null;
            if (agg != null && !agg.isEmpty()) {
                try {
                    aggregate = Aggregate.valueOf(agg.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException unknown) {
                    throw new BadQuery("agg is one of avg, count, max, min, sum, not " + agg);
                }
            }
            String type = optionalString(f.get("type"), "type");
            if (type != null && !type.isEmpty() && !List.of("float", "int", "integer", "number", "string", "bool",
                    "boolean", "object", "json").contains(type.toLowerCase(Locale.ROOT))) {
                throw new BadQuery("type is one of float, int, string, bool, object, not " + type);
            }
            fields.add(new Field(string(f.get("path"), "a field's path"), optionalString(f.get("alias"), "alias"), aggregate));
        }
        return fields;
    }

    private static Filter filters(JsonElement element, int depth) {
        if (element == null || element.isJsonNull()) {
            return null;
        }
        if (!element.isJsonArray()) {
            throw new BadQuery("query.filters is a list");
        }
        List<Filter> all = new ArrayList<>();
        for (JsonElement e : element.getAsJsonArray()) {
            all.add(filter(e, depth));
        }
        if (all.isEmpty()) {
            return null;
        }
        return all.size() == 1 ? all.get(0) : new Group(true, all);
    }

    private static Filter filter(JsonElement element, int depth) {
        if (depth > HistoryQuery.MAX_FILTER_DEPTH) {
            throw new BadQuery("filters nest at most " + HistoryQuery.MAX_FILTER_DEPTH + " deep");
        }
        if (!element.isJsonObject()) {
            throw new BadQuery("each filter is an object");
        }
        JsonObject f = element.getAsJsonObject();
        String op = string(f.get("op"), "a filter's op");
        if (op.equalsIgnoreCase("and") || op.equalsIgnoreCase("or")) {
            Filter inner = filters(f.get("filters"), depth + 1);
            if (inner == null) {
                throw new BadQuery(op + " needs filters");
            }
            List<Filter> parts = inner instanceof Group g && g.and() ? g.filters() : List.of(inner);
            return new Group(op.equalsIgnoreCase("and"), parts);
        }
        Op comparison = switch (op) {
            case "=", "==" -> Op.EQ;
            case "<>", "!=" -> Op.NE;
            case "<" -> Op.LT;
            case "<=" -> Op.LE;
            case ">" -> Op.GT;
            case ">=" -> Op.GE;
            default -> throw new BadQuery("op is one of =, <>, <, <=, >, >=, and, or; not " + op);
        };
        JsonElement value = f.get("value");
        if (value == null || value.isJsonNull()) {
            throw new BadQuery("a filter needs a value");
        }
        List<Object> values = new ArrayList<>();
        if (value.isJsonArray()) {
            for (JsonElement v : value.getAsJsonArray()) {
                values.add(scalar(v));
            }
        } else {
            values.add(scalar(value));
        }
        return new Compare(string(f.get("path"), "a filter's path"), comparison, values);
    }

    private static Object scalar(JsonElement v) {
        if (v instanceof JsonPrimitive p) {
            if (p.isBoolean()) {
                return p.getAsBoolean();
            }
            if (p.isNumber()) {
                try {
                    BigDecimal n = p.getAsBigDecimal();
                    if (n.precision() - n.scale() > 30 || n.scale() > 30) {
                        throw new BadQuery("filter numbers have at most 30 digits each side of the point");
                    }
                    return n;
                } catch (NumberFormatException e) {
                    throw new BadQuery("a filter value is not a number");
                }
            }
            return p.getAsString();
        }
        throw new BadQuery("filter values are numbers, strings or booleans (or a list of them)");
    }

    private static Instant time(JsonElement value, String name) {
        String text = string(value, name);
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadQuery(name + " must be an RFC 3339 time such as 2021-12-01T19:12:53Z, not " + text);
        }
    }

    private static Duration duration(String text, String name) {
        Matcher m = INTERVAL.matcher(text);
        if (!m.matches()) {
            throw new BadQuery(name + " is a number and a unit (ms, s, m, h, d, w), such as 15m; not " + text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
    }

    private static int integer(JsonElement value, String name, int fallback) {
        if (value == null || value.isJsonNull()) {
            return fallback;
        }
        try {
            BigDecimal n = value.getAsJsonPrimitive().getAsBigDecimal();
            return n.intValueExact();
        } catch (ArithmeticException | NumberFormatException | IllegalStateException | UnsupportedOperationException e) {
            throw new BadQuery(name + " must be a whole number");
        }
    }

    private static String string(JsonElement value, String name) {
        if (!(value instanceof JsonPrimitive p) || !p.isString() || p.getAsString().isEmpty()) {
            throw new BadQuery(name + " must be a non-empty string");
        }
        return p.getAsString();
    }

    private static String optionalString(JsonElement value, String name) {
        return value == null || value.isJsonNull() ? null : string(value, name);
    }

    /** The device ids of a project query: {@code deviceId[]} or {@code deviceId}, a string or a list. */
    static List<String> deviceIds(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (element.isJsonArray()) {
            for (JsonElement e : (JsonArray) element) {
                out.add(string(e, "deviceId"));
            }
        } else {
            out.add(string(element, "deviceId"));
        }
        if (out.size() > 100) {
            throw new BadQuery("at most 100 devices per query");
        }
        return out;
    }
}
