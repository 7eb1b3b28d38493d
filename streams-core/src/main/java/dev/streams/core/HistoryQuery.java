package dev.streams.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A question to a project's stored history, answered in the database: which readings (by time range and
 * device), which fields of them (JSON paths, the time, the device), optionally aggregated and grouped into
 * time buckets, filtered, one page at a time, newest first. The Golioth History REST API is this, over HTTP;
 * host applications call {@link Broker#query(HistoryQuery)}.
 *
 * @param project   the project asked about
 * @param topics    patterns of the topics whose events count ({@code >}: every topic of the project): what
 *                  the asker may read, so that a query never reaches a topic its credential could not subscribe to
 * @param deviceIds devices whose readings count (empty: every device of the project)
 * @param start     readings at or after this time (device time when the device gave one, else server time)
 * @param end       readings before this time
 * @param fields    what each row holds (empty: time, deviceId and the whole reading under {@code data})
 * @param filter    which readings count (null: all)
 * @param timeBucket rows group into buckets of this length (needs an aggregated field), or null
 * @param page      which page, from 0
 * @param perPage   rows per page
 */
public record HistoryQuery(String project, List<String> topics, List<String> deviceIds, Instant start, Instant end,
                           List<Field> fields, Filter filter, Duration timeBucket, int page, int perPage) {
    /** Rows one page holds at most. */
    public static final int MAX_PER_PAGE = 1000;
    /** How far back a page may reach: page × perPage at most. */
    public static final int MAX_OFFSET = 100_000;
    /** How long a time range may be. */
    public static final Duration MAX_RANGE = Duration.ofDays(366);
    /** How deep filters may nest. */
    public static final int MAX_FILTER_DEPTH = 8;
    /** How many values all of a query's comparisons hold together: each is a term the database evaluates per reading. */
    public static final int MAX_FILTER_TERMS = 200;
    /** How many topic patterns a query may be limited to. */
    public static final int MAX_TOPIC_PATTERNS = 64;
    /** The earliest time a query may name: times are kept as nanoseconds since 1970 in a signed 64-bit number. */
    public static final Instant EARLIEST = Instant.ofEpochSecond(Long.MIN_VALUE / 1_000_000_000L + 1);
    /** The latest time a query may name. */
    public static final Instant LATEST = Instant.ofEpochSecond(Long.MAX_VALUE / 1_000_000_000L - 1);
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** Checks every bound; throws StreamsException (INVALID_ARGUMENT) saying which one a query breaks. */
    public HistoryQuery {
        Objects.requireNonNull(project, "project");
        topics = List.copyOf(topics);
        if (topics.isEmpty() || topics.size() > MAX_TOPIC_PATTERNS) {
            throw invalid("a query names 1 to " + MAX_TOPIC_PATTERNS + " topic patterns");
        }
        topics.forEach(Topics::requirePattern);
        deviceIds = List.copyOf(deviceIds);
        fields = List.copyOf(fields);
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (start.isBefore(EARLIEST) || start.isAfter(LATEST)) {
            throw invalid("start must be between " + EARLIEST + " and " + LATEST);
        }
        if (end.isBefore(EARLIEST) || end.isAfter(LATEST)) {
            throw invalid("end must be between " + EARLIEST + " and " + LATEST);
        }
        if (!end.isAfter(start)) {
            throw invalid("end must be after start");
        }
        if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
            throw invalid("a query covers at most " + MAX_RANGE.toDays() + " days");
        }
        if (perPage < 1 || perPage > MAX_PER_PAGE) {
            throw invalid("perPage must be 1 to " + MAX_PER_PAGE);
        }
        if (page < 0 || (long) page * perPage > MAX_OFFSET) {
            throw invalid("page must be 0 or more, and page × perPage at most " + MAX_OFFSET);
        }
        if (fields.size() > 32) {
            throw invalid("a query has at most 32 fields");
        }
        boolean aggregated = fields.stream().anyMatch(f -> f.aggregate() != null);
        if (timeBucket != null && (!aggregated || timeBucket.isNegative() || timeBucket.isZero())) {
            throw invalid("timeBucket needs a positive length and an aggregated field");
        }
        if (timeBucket != null && timeBucket.compareTo(MAX_RANGE) > 0) {
            throw invalid("timeBucket is at most " + MAX_RANGE.toDays() + " days");
        }
        if (timeBucket != null && fields.stream().noneMatch(f -> f.path().equals(TIME) && f.aggregate() == null)) {
            throw invalid("timeBucket groups by time: add the field {\"path\":\"time\"}");
        }
        if (filter != null) {
            depthOf(filter, 1);
            if (termsOf(filter) > MAX_FILTER_TERMS) {
                throw invalid("filters compare with at most " + MAX_FILTER_TERMS + " values in all");
            }
        }
    }

    /**
     * A query of every topic of the project ({@code >}): for a host application that reads its own data. A
     * query made for a client names the topics its credential may read instead.
     */
    public HistoryQuery(String project, List<String> deviceIds, Instant start, Instant end, List<Field> fields,
                        Filter filter, Duration timeBucket, int page, int perPage) {
        this(project, List.of(Topics.ALL), deviceIds, start, end, fields, filter, timeBucket, page, perPage);
    }

    /** Whether the query reads every topic of its project. */
    public boolean allTopics() {
        return topics.contains(Topics.ALL);
    }

    private static int termsOf(Filter filter) {
        if (filter instanceof Group group) {
            int terms = 0;
            for (Filter f : group.filters()) {
                terms += termsOf(f);
            }
            return terms;
        }
        return ((Compare) filter).values().size();
    }

    private static void depthOf(Filter filter, int depth) {
        if (depth > MAX_FILTER_DEPTH) {
            throw invalid("filters nest at most " + MAX_FILTER_DEPTH + " deep");
        }
        if (filter instanceof Group group) {
            for (Filter f : group.filters()) {
                depthOf(f, depth + 1);
            }
        }
    }

    /** Whether any field is aggregated (rows are then groups). */
    public boolean aggregated() {
        return fields.stream().anyMatch(f -> f.aggregate() != null);
    }

    static StreamsException invalid(String message) {
        return new StreamsException(ErrorKind.INVALID_ARGUMENT, message);
    }

    /**
     * Checks a field or filter path: {@code time}, {@code deviceId}, {@code id}, {@code *} (the whole reading) or a dotted
     * JSON path into the reading of 1 to 8 segments of {@code [A-Za-z0-9_-]}.
     */
    public static String requirePath(String path) {
        if (path == null) {
            throw invalid("a field or filter needs a path");
        }
        if (path.equals(TIME) || path.equals(DEVICE_ID) || path.equals(ALL) || path.equals(ID)) {
            return path;
        }
        String[] segments = path.split("\\.", -1);
        if (segments.length > 8) {
            throw invalid("path " + path + " is deeper than 8");
        }
        for (String segment : segments) {
            if (!SEGMENT.matcher(segment).matches()) {
                throw invalid("path " + path + ": segments are 1 to 64 characters of [A-Za-z0-9_-]");
            }
        }
        return path;
    }

    /** The path of a reading's time. */
    public static final String TIME = "time";
    /** The path of a reading's device. */
    public static final String DEVICE_ID = "deviceId";
    /** The path of the whole reading. */
    public static final String ALL = "*";
    /**
     * The path of a reading's resume cursor ({@code <epoch>-<offset>}, as on the stream's frames): beyond
     * Golioth, so that a client can pre-fill from history and then follow the stream from exactly there.
     */
    public static final String ID = "id";

    /** Aggregations of a field over the readings of a group. */
    public enum Aggregate {
        /** The mean. */
        AVG,
        /** How many readings have the field. */
        COUNT,
        /** The largest. */
        MAX,
        /** The smallest. */
        MIN,
        /** The total. */
        SUM
    }

    /**
     * One column of the answer.
     *
     * @param path      what it shows (see {@link #requirePath})
     * @param alias     its name in a row (default: the path; {@code data} for {@code *})
     * @param aggregate how it is aggregated, or null
     */
    public record Field(String path, String alias, Aggregate aggregate) {
        /** Checks the path and the aggregation; the alias defaults to the path ({@code data} for {@code *}). */
        public Field {
            requirePath(path);
            if (alias == null || alias.isEmpty()) {
                alias = path.equals(ALL) ? "data" : path;
            }
            if (aggregate != null && (path.equals(TIME) || path.equals(DEVICE_ID) || path.equals(ID)
                    || (path.equals(ALL) && aggregate != Aggregate.COUNT))) {
                throw invalid("only JSON paths can be aggregated (and * only counted)");
            }
        }
    }

    /** Which readings count: a comparison, or several combined. */
    public sealed interface Filter permits Compare, Group {
    }

    /** Comparison operators; with several values, EQ is IN and NE is NOT IN. */
    public enum Op {
        EQ, NE, LT, LE, GT, GE
    }

    /**
     * A comparison of a path with one value or (for EQ and NE) a list. Values are numbers, strings or booleans;
     * the value's type decides how the stored value compares (a number to numbers, and so on); {@code time}
     * takes RFC 3339 strings.
     */
    public record Compare(String path, Op op, List<Object> values) implements Filter {
        /** Checks the path, the operator and the values (one kind, at most 100, RFC 3339 for time). */
        public Compare {
            requirePath(path);
            Objects.requireNonNull(op, "op");
            values = List.copyOf(values);
            if (path.equals(ALL) || path.equals(ID)) {
                throw invalid(path + " cannot be compared");
            }
            if (values.isEmpty() || values.size() > 100) {
                throw invalid("a filter compares with 1 to 100 values");
            }
            if (values.size() > 1 && op != Op.EQ && op != Op.NE) {
                throw invalid("a list of values needs = or <>");
            }
            Class<?> kind = kindOf(values.get(0));
            for (Object v : values) {
                if (kindOf(v) != kind) {
                    throw invalid("the values of a filter must all be numbers, strings or booleans alike");
                }
            }
            if (kind == Boolean.class && op != Op.EQ && op != Op.NE) {
                throw invalid("booleans compare with = or <> only");
            }
            if (path.equals(TIME)) {
                for (Object v : values) {
                    if (!(v instanceof String s)) {
                        throw invalid("time compares with RFC 3339 times");
                    }
                    try {
                        java.time.OffsetDateTime.parse(s);
                    } catch (java.time.format.DateTimeParseException e) {
                        throw invalid("time compares with RFC 3339 times, not " + s);
                    }
                }
            }
        }

        private static Class<?> kindOf(Object v) {
            if (v instanceof Number) {
                return Number.class;
            }
            if (v instanceof String) {
                return String.class;
            }
            if (v instanceof Boolean) {
                return Boolean.class;
            }
            throw invalid("filter values are numbers, strings or booleans");
        }
    }

    /** Filters combined with AND ({@code and} true) or OR. */
    public record Group(boolean and, List<Filter> filters) implements Filter {
        /** Checks that 1 to 50 filters are combined. */
        public Group {
            filters = List.copyOf(filters);
            if (filters.isEmpty() || filters.size() > 50) {
                throw invalid("and/or combine 1 to 50 filters");
            }
        }
    }

    /** A JSON value that is an object or array (or the whole reading), as its text. */
    public record Json(String text) {
    }

    /**
     * One page of the answer: rows newest first, each a map from alias to value ({@link String},
     * {@link java.math.BigDecimal}, {@link Boolean}, {@link Json}, or null; {@code time} as an RFC 3339 string).
     *
     * @param total rows the whole answer has
     */
    public record Result(List<Map<String, Object>> rows, long total, int page, int perPage) {
        /** Copies the rows. */
        public Result {
            rows = List.copyOf(rows);
        }
    }
}
