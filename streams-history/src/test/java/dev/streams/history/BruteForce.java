package dev.streams.history;

import dev.streams.core.HistoryQuery.Compare;
import dev.streams.core.HistoryQuery.Filter;
import dev.streams.core.HistoryQuery.Group;
import dev.streams.core.HistoryQuery.Op;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The answer a history query should give, worked out in Java over the same readings, to check the SQL against. */
final class BruteForce {
    private BruteForce() {
    }

    /** A reading as the brute force sees it: device, time and the JSON fields (a missing field is absent). */
    record Reading(String device, Instant time, Map<String, Object> fields) {
        Object get(String path) {
            return fields.get(path);
        }
    }

    static boolean matches(Reading r, Filter filter) {
        if (filter instanceof Group g) {
            return g.and() ? g.filters().stream().allMatch(f -> matches(r, f)) : g.filters().stream().anyMatch(f -> matches(r, f));
        }
        Compare c = (Compare) filter;
        Object value = switch (c.path()) {
            case "time" -> r.time();
            case "deviceId" -> r.device();
            default -> r.get(c.path());
        };
        List<Integer> comparisons = new ArrayList<>();
        for (Object v : c.values()) {
            Integer cmp = compare(value, v, c.path());
            if (cmp == null) {
                return false;
            }
            comparisons.add(cmp);
        }
        if (c.values().size() > 1) {
            boolean any = comparisons.contains(0);
            return c.op() == Op.EQ ? any : !any;
        }
        int cmp = comparisons.get(0);
        return switch (c.op()) {
            case EQ -> cmp == 0;
            case NE -> cmp != 0;
            case LT -> cmp < 0;
            case LE -> cmp <= 0;
            case GT -> cmp > 0;
            case GE -> cmp >= 0;
        };
    }

    /** Stored value against a filter value; null where SQL's comparison would be NULL (absent, other type). */
    private static Integer compare(Object stored, Object wanted, String path) {
        if (stored == null) {
            return null;
        }
        if (path.equals("time")) {
            return ((Instant) stored).compareTo(java.time.OffsetDateTime.parse((String) wanted).toInstant());
        }
        if (wanted instanceof Number n && stored instanceof BigDecimal b) {
            return b.compareTo(new BigDecimal(n.toString()));
        }
        if (wanted instanceof String s && stored instanceof String t) {
            return t.compareTo(s);
        }
        if (wanted instanceof Boolean w && stored instanceof Boolean b) {
            return b.equals(w) ? 0 : 1;
        }
        return null;
    }
}
