package dev.streams.devices;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import dev.streams.core.Broker;
import dev.streams.core.ErrorKind;
import dev.streams.core.Event;
import dev.streams.core.Idempotency;
import dev.streams.core.StreamsException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Device data in, with Golioth's semantics, for host applications that receive it by their own means (the
 * HTTP ingestion endpoint uses the same code). A JSON object is one record, stored as sent ({@code null}
 * members included); any other value nests under the path ({@code 20.5} at {@code temp} becomes
 * {@code {"temp":20.5}}, {@code [1,2]} at {@code arr} becomes {@code {"arr":[1,2]}}); only an array posted at the
 * root is a batch. A timestamp under {@code t}, {@code ts}, {@code time} or {@code timestamp} is lifted out of
 * the data when it reads as one: Unix milliseconds (a number or a string of digits) or ISO-8601 (with an
 * offset, or without one, taken as UTC); a member that does not read as a time stays in the data. Each record
 * is published to {@link DeviceTopics#topicOf} as {@code application/json}.
 */
public final class DeviceIngestor {
    /** Attribute naming the device an event came from; the history store indexes it for queries. */
    public static final String DEVICE_ID = "deviceId";
    /** Attribute with the device's own time of a reading, RFC 3339, when the device sent one. */
    public static final String DEVICE_TIME = "timestamp";
    private static final String[] TIME_KEYS = {"t", "ts", "time", "timestamp"};
    private static final Pattern PATH_SEGMENT = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern DIGITS = Pattern.compile("-?[0-9]{1,19}");
    private static final int MAX_BATCH = 1000;

    private final Broker broker;

    /** An ingestor that publishes to {@code broker}. */
    public DeviceIngestor(Broker broker) {
        this.broker = broker;
    }

    /**
     * Publishes the records of one request and returns the stored events. Nothing is published when any
     * record is invalid: the whole request fails with {@link StreamsException} (INVALID_ARGUMENT). Waits for
     * a clustered broker to accept every record; I/O threads use {@link #ingestAsync}.
     *
     * @param path slash-separated path the data is stored under, or null for the root
     */
    public List<Event> ingest(String project, String deviceId, String path, String json) {
        return StreamsException.await(ingestAsync(project, deviceId, path, json));
    }

    /**
     * Like {@link #ingest} without waiting: invalid records throw at once; the future completes with the
     * stored events once the broker accepted all of them, or with the first refusal (earlier records may then
     * be stored, as with {@link Broker#publish} one by one).
     *
     * @param path slash-separated path the data is stored under, or null for the root
     */
    public CompletableFuture<List<Event>> ingestAsync(String project, String deviceId, String path, String json) {
        return ingestAsync(project, deviceId, path, json, null);
    }

    /**
     * Like {@link #ingestAsync(String, String, String, String)}, safe to retry: with an idempotency key, a repeat of
     * the request within the broker's window stores nothing and completes with the first request's events. Each
     * record of a batch carries the key, and from the second on {@code <key>#<index>}.
     *
     * @param idempotencyKey the request's key (see {@link dev.streams.core.Idempotency}), or null
     */
    public CompletableFuture<List<Event>> ingestAsync(String project, String deviceId, String path, String json,
                                                      String idempotencyKey) {
        String topic = DeviceTopics.topicOf(deviceId);
        List<String> segments = segments(path);
        JsonElement root;
        try {
            root = StorableJson.parse(json);
        } catch (StorableJson.Unstorable e) {
            throw invalid(e.getMessage());
        } catch (JsonParseException e) {
            throw invalid("body is not valid JSON");
        }
        List<JsonElement> items = new ArrayList<>();
        if (root.isJsonArray() && segments.isEmpty()) {
            root.getAsJsonArray().forEach(items::add);
            if (items.size() > MAX_BATCH) {
                throw invalid("a batch holds at most " + MAX_BATCH + " records");
            }
        } else {
            items.add(root);
        }
        List<Record> records = new ArrayList<>(items.size());
        for (JsonElement item : items) {
            records.add(record(item, segments));
        }
        List<CompletableFuture<Event>> stored = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            Record r = records.get(i);
            Map<String, String> attributes = new HashMap<>();
            attributes.put(DEVICE_ID, deviceId);
            if (idempotencyKey != null) {
                attributes.put(Idempotency.KEY, i == 0 ? idempotencyKey : idempotencyKey + "#" + i);
            }
            if (r.time != null) {
                attributes.put(DEVICE_TIME, r.time.toString());
            }
            CompletableFuture<Event> one = broker.publishAsync(project, topic, "application/json",
                    StorableJson.GSON.toJson(r.data).getBytes(StandardCharsets.UTF_8), attributes);
            stored.add(one);
            if (one.isCompletedExceptionally()) {
                break;
            }
        }
        return CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new))
                .thenApply(all -> stored.stream().map(CompletableFuture::join).toList());
    }

    private record Record(JsonElement data, Instant time) {
    }

    private static Record record(JsonElement item, List<String> segments) {
        Instant time = null;
        JsonElement data = item;
        if (item.isJsonObject()) {
            JsonObject copy = item.getAsJsonObject().deepCopy();
            for (String key : TIME_KEYS) {
                JsonElement value = copy.get(key);
                Instant lifted = value == null || time != null ? null : timeOf(value);
                if (lifted != null) {
                    time = lifted;
                    copy.remove(key);
                }
            }
            data = copy;
        } else if (segments.isEmpty()) {
            throw invalid("a single value needs a path to be stored under");
        }
        for (int i = segments.size() - 1; i >= 0; i--) {
            JsonObject wrapper = new JsonObject();
            wrapper.add(segments.get(i), data);
            data = wrapper;
        }
        return new Record(data, time);
    }

    /** The time a member stands for, or null when it does not read as one (it then stays in the data). */
    private static Instant timeOf(JsonElement value) {
        if (!value.isJsonPrimitive()) {
            return null;
        }
        JsonPrimitive p = value.getAsJsonPrimitive();
        String text = p.getAsString();
        if (p.isNumber() || (p.isString() && DIGITS.matcher(text).matches())) {
            try {
                return Instant.ofEpochMilli(new java.math.BigDecimal(text).longValueExact());
            } catch (ArithmeticException | NumberFormatException | java.time.DateTimeException notMillis) {
                return null;
            }
        }
        if (p.isString()) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException noOffset) {
                try {
                    return java.time.LocalDateTime.parse(text).toInstant(java.time.ZoneOffset.UTC);
                } catch (DateTimeParseException notATime) {
                    return null;
                }
            }
        }
        return null;
    }

    private static List<String> segments(String path) {
        if (path == null || path.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String segment : path.split("/", -1)) {
            if (!PATH_SEGMENT.matcher(segment).matches()) {
                throw invalid("path segments are 1 to 64 characters of [A-Za-z0-9_-]");
            }
            out.add(segment);
        }
        return out;
    }

    private static StreamsException invalid(String message) {
        return new StreamsException(ErrorKind.INVALID_ARGUMENT, message);
    }
}
