package dev.streams.history;

import dev.streams.devices.DeviceIngestor;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streams.core.Recorder;
import dev.streams.core.Broker;
import dev.streams.core.ErrorKind;
import dev.streams.core.HistoryQuery;
import dev.streams.core.HistoryQuery.Aggregate;
import dev.streams.core.HistoryQuery.Compare;
import dev.streams.core.HistoryQuery.Field;
import dev.streams.core.HistoryQuery.Filter;
import dev.streams.core.HistoryQuery.Group;
import dev.streams.core.HistoryQuery.Op;
import dev.streams.core.StreamsException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * History queries answered by the store's database, checked against a brute-force evaluation of the same readings in Java:
 * random filters (numbers, strings, booleans, lists, nested and/or, time, devices), plain and aggregated fields,
 * time buckets and pages.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HistoryQueryContract {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final List<String> DEVICES = List.of("d1", "d2", "d3");
    private static final List<BruteForce.Reading> READINGS = new ArrayList<>();
    private SqlHistoryStore store;
    private Broker broker;

    /** A builder of a store on the database under test (each call: the same database, or a fresh SQLite one). */
    abstract SqlHistoryStore.Builder storeBuilder() throws Exception;

    /** Stops whatever {@link #newStore()} started. */
    void stopDatabase() throws Exception {
    }

    @BeforeAll
    void load() throws Exception {
        READINGS.clear();
        store = storeBuilder().build();
        broker = Broker.builder().historyStore(store).build();
        Random random = new Random(42);
        for (int i = 0; i < 900; i++) {
            String device = DEVICES.get(i % 3);
            Instant time = T0.plusMillis(i * 4000L + random.nextInt(1000));
            Map<String, Object> f = new LinkedHashMap<>();
            if (random.nextInt(10) > 0) {
                f.put("temp", random.nextBoolean() ? new BigDecimal(random.nextInt(40)) : BigDecimal.valueOf(random.nextInt(4000), 2));
            }
            if (random.nextInt(10) > 1) {
                f.put("label", List.of("a", "b", "c").get(random.nextInt(3)));
            }
            if (random.nextInt(10) > 2) {
                f.put("ok", random.nextBoolean());
            }
            if (random.nextInt(10) > 3) {
                f.put("env.p", new BigDecimal(990 + random.nextInt(40)));
            }
            READINGS.add(new BruteForce.Reading(device, time, f));
            StringBuilder json = new StringBuilder("{");
            for (Map.Entry<String, Object> e : f.entrySet()) {
                if (!e.getKey().contains(".")) {
                    Object v = e.getValue();
                    json.append(json.length() > 1 ? "," : "").append('"').append(e.getKey()).append("\":")
                            .append(v instanceof String ? "\"" + v + "\"" : v.toString());
                }
            }
            if (f.containsKey("env.p")) {
                json.append(json.length() > 1 ? "," : "").append("\"env\":{\"p\":").append(f.get("env.p")).append('}');
            }
            json.append('}');
            broker.publish("q", "devices." + device + ".stream", "application/json", json.toString().getBytes(UTF_8),
                    Map.of(DeviceIngestor.DEVICE_ID, device, DeviceIngestor.DEVICE_TIME, time.toString()));
        }
        Recorder.await(() -> store.status().metrics().get("streams_history_stored_total").longValue() == 900,
                () -> "stored " + store.status());
    }

    @AfterAll
    void close() throws Exception {
        broker.close();
        store.close();
        stopDatabase();
    }

    private Filter randomFilter(Random random, int depth) {
        if (depth < 2 && random.nextInt(4) == 0) {
            List<Filter> parts = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(3); i++) {
                parts.add(randomFilter(random, depth + 1));
            }
            return new Group(random.nextBoolean(), parts);
        }
        Op op = Op.values()[random.nextInt(Op.values().length)];
        return switch (random.nextInt(6)) {
            case 0 -> new Compare("temp", op, List.of(random.nextInt(40) + (random.nextBoolean() ? 0.5 : 0)));
            case 1 -> new Compare("env.p", op, List.of(990 + random.nextInt(40)));
            case 2 -> random.nextBoolean() ? new Compare("label", random.nextBoolean() ? Op.EQ : Op.NE, List.of("a", "c"))
                    : new Compare("label", op, List.of(List.of("a", "b", "c").get(random.nextInt(3))));
            case 3 -> new Compare("ok", random.nextBoolean() ? Op.EQ : Op.NE, List.of(random.nextBoolean()));
            case 4 -> new Compare("deviceId", random.nextBoolean() ? Op.EQ : Op.NE, List.of(DEVICES.get(random.nextInt(3))));
            default -> new Compare("time", op, List.of(T0.plusSeconds(random.nextInt(3600)).toString()));
        };
    }

    @Test
    void plainQueriesMatchTheBruteForce() {
        Random random = new Random(7);
        for (int q = 0; q < 60; q++) {
            Instant start = T0.plusSeconds(random.nextInt(1800));
            Instant end = start.plusSeconds(300 + random.nextInt(3000));
            Filter filter = random.nextInt(5) == 0 ? null : randomFilter(random, 0);
            List<String> devices = random.nextBoolean() ? List.of() : List.of(DEVICES.get(random.nextInt(3)));
            int perPage = 1 + random.nextInt(50);
            int page = random.nextInt(3);
            HistoryQuery query = new HistoryQuery("q", devices, start, end, List.of(new Field("time", null, null),
                    new Field("deviceId", null, null), new Field("temp", "t", null), new Field("label", null, null),
                    new Field("ok", null, null)), filter, null, page, perPage);
            List<BruteForce.Reading> expected = READINGS.stream()
                    .filter(r -> !r.time().isBefore(start) && r.time().isBefore(end))
                    .filter(r -> devices.isEmpty() || devices.contains(r.device()))
                    .filter(r -> filter == null || BruteForce.matches(r, filter))
                    .sorted(Comparator.comparing(BruteForce.Reading::time).reversed()).toList();
            HistoryQuery.Result result = broker.query(query);
            assertThat(result.total()).as("total of " + query).isEqualTo(expected.size());
            List<BruteForce.Reading> pageRows = expected.stream().skip((long) page * perPage).limit(perPage).toList();
            assertThat(result.rows()).as("rows of " + query).hasSize(pageRows.size());
            for (int i = 0; i < pageRows.size(); i++) {
                Map<String, Object> row = result.rows().get(i);
                BruteForce.Reading r = pageRows.get(i);
                assertThat(row.get("time")).isEqualTo(r.time().toString());
                assertThat(row.get("deviceId")).isEqualTo(r.device());
                assertThat(row.get("t") == null ? null : ((BigDecimal) row.get("t")).stripTrailingZeros())
                        .isEqualTo(r.get("temp") == null ? null : ((BigDecimal) r.get("temp")).stripTrailingZeros());
                assertThat(row.get("label")).isEqualTo(r.get("label"));
                assertThat(row.get("ok")).isEqualTo(r.get("ok"));
            }
        }
    }

    @Test
    void aggregatesByDeviceAndTimeBucketMatchTheBruteForce() {
        Random random = new Random(11);
        for (int q = 0; q < 30; q++) {
            Filter filter = random.nextBoolean() ? null : randomFilter(random, 0);
            boolean buckets = random.nextBoolean();
            Instant start = T0;
            Instant end = T0.plusSeconds(3600);
            List<Field> fields = new ArrayList<>();
            if (buckets) {
                fields.add(new Field("time", null, null));
            }
            fields.add(new Field("deviceId", null, null));
            fields.add(new Field("temp", "avg", Aggregate.AVG));
            fields.add(new Field("temp", "max", Aggregate.MAX));
            fields.add(new Field("env.p", "sum", Aggregate.SUM));
            fields.add(new Field("label", "labels", Aggregate.COUNT));
            fields.add(new Field("*", "n", Aggregate.COUNT));
            HistoryQuery query = new HistoryQuery("q", List.of(), start, end, fields, filter,
                    buckets ? Duration.ofMinutes(10) : null, 0, 1000);
            Map<String, List<BruteForce.Reading>> groups = new TreeMap<>();
            for (BruteForce.Reading r : READINGS) {
                if (filter == null || BruteForce.matches(r, filter)) {
                    long bucket = Duration.between(Instant.EPOCH, r.time()).toNanos() / Duration.ofMinutes(10).toNanos();
                    groups.computeIfAbsent((buckets ? String.format("%020d", Long.MAX_VALUE / 2 - bucket) + "|" : "") + r.device(),
                            k -> new ArrayList<>()).add(r);
                }
            }
            HistoryQuery.Result result = broker.query(query);
            assertThat(result.rows()).as("groups of " + query).hasSize(groups.size());
            int i = 0;
            for (List<BruteForce.Reading> group : groups.values()) {
                Map<String, Object> row = result.rows().get(i++);
                assertThat(row.get("deviceId")).isEqualTo(group.get(0).device());
                List<BigDecimal> temps = group.stream().map(r -> (BigDecimal) r.get("temp")).filter(t -> t != null).toList();
                if (temps.isEmpty()) {
                    assertThat(row.get("avg")).isNull();
                } else {
                    BigDecimal avg = temps.stream().reduce(BigDecimal.ZERO, BigDecimal::add)
                            .divide(new BigDecimal(temps.size()), 6, RoundingMode.HALF_UP);
                    assertThat(((BigDecimal) row.get("avg")).setScale(6, RoundingMode.HALF_UP)).isEqualByComparingTo(avg);
                    assertThat((BigDecimal) row.get("max")).isEqualByComparingTo(temps.stream().max(Comparator.naturalOrder()).get());
                }
                BigDecimal sum = group.stream().map(r -> (BigDecimal) r.get("env.p")).filter(p -> p != null)
                        .reduce(BigDecimal.ZERO, BigDecimal::add);
                if (group.stream().anyMatch(r -> r.get("env.p") != null)) {
                    assertThat((BigDecimal) row.get("sum")).isEqualByComparingTo(sum);
                }
                assertThat(((BigDecimal) row.get("labels")).longValue()).isEqualTo(group.stream().filter(r -> r.get("label") != null).count());
                assertThat(((BigDecimal) row.get("n")).longValue()).isEqualTo(group.size());
            }
        }
    }

    @Test
    void eachRowCanCarryItsResumeCursor() {
        HistoryQuery query = new HistoryQuery("q", List.of("d1"), T0, T0.plusSeconds(3600),
                List.of(new Field("id", null, null), new Field("time", null, null)), null, null, 0, 2);
        HistoryQuery.Result result = broker.query(query);
        dev.streams.core.Position newest = broker.latestPosition("q", "devices.d1.stream").orElseThrow();
        assertThat(result.rows().get(0).get("id")).isEqualTo(newest.cursor());
        assertThat(result.rows().get(1).get("id")).isEqualTo(new dev.streams.core.Position(newest.epoch(),
                newest.offset() - 1).cursor());
    }

    @Test
    void theWholeReadingComesBackAsStored() {
        HistoryQuery query = new HistoryQuery("q", List.of("d2"), T0, T0.plusSeconds(3600), List.of(), null, null, 0, 1);
        HistoryQuery.Result result = broker.query(query);
        assertThat(result.total()).isEqualTo(300);
        Map<String, Object> row = result.rows().get(0);
        assertThat(row).containsOnlyKeys("time", "deviceId", "data");
        assertThat(((HistoryQuery.Json) row.get("data")).text()).startsWith("{");
    }

    @Test
    void aQueryReadsOnlyTheTopicsItNames() throws Exception {
        broker.publish("t", "devices.d1.stream", "application/json", "{\"temp\":20}".getBytes(UTF_8),
                Map.of(DeviceIngestor.DEVICE_ID, "d1", DeviceIngestor.DEVICE_TIME, T0.toString()));
        broker.publish("t", "devices.d2.stream", "application/json", "{\"temp\":30}".getBytes(UTF_8),
                Map.of(DeviceIngestor.DEVICE_ID, "d2", DeviceIngestor.DEVICE_TIME, T0.toString()));
        broker.publish("t", "secret.pay+roll", "application/json", "{\"temp\":999}".getBytes(UTF_8), Map.of());
        Recorder.await(() -> store.status().metrics().get("streams_history_stored_total").longValue() == 903,
                () -> "stored " + store.status());
        Instant end = Instant.now().plusSeconds(60);
        List<Field> max = List.of(new Field("temp", null, Aggregate.MAX), new Field("*", "n", Aggregate.COUNT));
        Map<String, Object> everything = store.query(new HistoryQuery("t", List.of(">"), List.of(), T0.minusSeconds(1),
                end, max, null, null, 0, 10)).rows().get(0);
        assertThat(everything).containsEntry("temp", new BigDecimal("999")).containsEntry("n", new BigDecimal("3"));
        Map<String, Object> devices = store.query(new HistoryQuery("t", List.of("devices.*.stream"), List.of(),
                T0.minusSeconds(1), end, max, null, null, 0, 10)).rows().get(0);
        assertThat(devices).containsEntry("temp", new BigDecimal("30")).containsEntry("n", new BigDecimal("2"));
        Map<String, Object> one = store.query(new HistoryQuery("t", List.of("devices.d1.stream", "nothing.>"),
                List.of(), T0.minusSeconds(1), end, max, null, null, 0, 10)).rows().get(0);
        assertThat(one).containsEntry("temp", new BigDecimal("20")).containsEntry("n", new BigDecimal("1"));
        Map<String, Object> escaped = store.query(new HistoryQuery("t", List.of("secret.pay+roll"), List.of(),
                T0.minusSeconds(1), end, max, null, null, 0, 10)).rows().get(0);
        assertThat(escaped).containsEntry("temp", new BigDecimal("999"));
    }

    @Test
    void aQueryPastItsDeadlineIsStoppedInTheDatabaseAndTheStoreAnswersOn() throws Exception {
        try (SqlHistoryStore slow = storeBuilder().queryTimeout(Duration.ofMillis(100)).build()) {
            Broker b = Broker.builder().historyStore(slow).build();
            try {
                int n = 30_000;
                for (int i = 0; i < n; i++) {
                    String device = "d" + (i % 10);
                    b.publish("slow", "devices." + device + ".stream", "application/json",
                            ("{\"v\":" + i + ",\"w\":{\"x\":" + i + "}}").getBytes(UTF_8),
                            Map.of(DeviceIngestor.DEVICE_ID, device, DeviceIngestor.DEVICE_TIME, T0.plusMillis(i).toString()));
                }
                Recorder.await(() -> slow.status().metrics().get("streams_history_stored_total").longValue() == n,
                        () -> "stored " + slow.status());
                // 200 comparisons that never hold, so none short-cuts: each reads the reading's JSON twice.
                List<Filter> groups = new ArrayList<>();
                for (int g = 0; g < 4; g++) {
                    List<Filter> terms = new ArrayList<>();
                    for (int t = 0; t < 50; t++) {
                        terms.add(new Compare(t % 2 == 0 ? "v" : "w.x", Op.GT, List.of(1_000_000_000 + t)));
                    }
                    groups.add(new Group(false, terms));
                }
                HistoryQuery heavy = new HistoryQuery("slow", List.of(), T0, T0.plusSeconds(3600), List.of(),
                        new Group(false, groups), null, 0, 10);
                long started = System.nanoTime();
                assertThatThrownBy(() -> slow.query(heavy)).isInstanceOfSatisfying(StreamsException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.DEADLINE_EXCEEDED));
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("stopped, not run to its end")
                        .isLessThan(Duration.ofSeconds(2));
                assertThat(slow.status().metrics().get("streams_history_queries_stopped_total").longValue()).isEqualTo(1);
                HistoryQuery light = new HistoryQuery("slow", List.of("d1"), T0, T0.plusSeconds(1),
                        List.of(new Field("*", "n", Aggregate.COUNT)), null, null, 0, 1);
                assertThat(slow.query(light).rows().get(0)).containsEntry("n", new BigDecimal("100"));
            } finally {
                b.close();
            }
        }
    }

    @Test
    void badQueriesAreRefusedClearly() {
        assertThatThrownBy(() -> new HistoryQuery("q", List.of(), T0, T0.plusSeconds(60), List.of(), null, null, 0, 5000))
                .isInstanceOfSatisfying(StreamsException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessageContaining("perPage");
        assertThatThrownBy(() -> new Compare("temp; DROP TABLE x", Op.EQ, List.of(1))).hasMessageContaining("segments");
        assertThatThrownBy(() -> new Compare("temp", Op.LT, List.of(1, 2))).hasMessageContaining("list");
        assertThatThrownBy(() -> new HistoryQuery("q", List.of(), T0, T0.plus(Duration.ofDays(400)), List.of(), null, null, 0, 5))
                .hasMessageContaining("days");
        Filter deep = new Compare("temp", Op.EQ, List.of(1));
        for (int i = 0; i < 10; i++) {
            deep = new Group(true, List.of(deep));
        }
        Filter tooDeep = deep;
        assertThatThrownBy(() -> new HistoryQuery("q", List.of(), T0, T0.plusSeconds(60), List.of(), tooDeep, null, 0, 5))
                .hasMessageContaining("deep");
        assertThatThrownBy(() -> new HistoryQuery("q", List.of(), T0, T0.plusSeconds(60), List.of(), null,
                Duration.ofMinutes(5), 0, 5)).hasMessageContaining("timeBucket");
        List<Field> bucketed = List.of(new Field("temp", null, Aggregate.AVG));
        assertThatThrownBy(() -> new HistoryQuery("q", List.of(), T0, T0.plusSeconds(60), bucketed, null,
                Duration.ofMinutes(5), 0, 5)).as("a bucket without the time field").hasMessageContaining("timeBucket");
        List<Field> withTime = List.of(new Field("time", null, null), new Field("temp", null, Aggregate.AVG));
        assertThatThrownBy(() -> new HistoryQuery("q", List.of(), T0, T0.plusSeconds(60), withTime, null,
                Duration.ofDays(999_999_999L * 7), 0, 5)).hasMessageContaining("timeBucket");
        assertThatThrownBy(() -> new HistoryQuery("q", List.of(), Instant.parse("1000-01-01T00:00:00Z"),
                Instant.parse("1000-01-02T00:00:00Z"), List.of(), null, null, 0, 5)).hasMessageContaining("start");
        List<Filter> many = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<Object> values = new ArrayList<>();
            for (int v = 0; v < 100; v++) {
                values.add(v);
            }
            many.add(new Compare("temp", Op.EQ, values));
        }
        assertThatThrownBy(() -> new HistoryQuery("q", List.of(), T0, T0.plusSeconds(60), List.of(),
                new Group(false, many), null, 0, 5)).hasMessageContaining("values in all");
        assertThatThrownBy(() -> new HistoryQuery("q", List.of("bad..topic"), List.of(), T0, T0.plusSeconds(60),
                List.of(), null, null, 0, 5)).isInstanceOf(StreamsException.class);
    }

}
