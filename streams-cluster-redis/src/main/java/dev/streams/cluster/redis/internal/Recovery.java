package dev.streams.cluster.redis.internal;

import dev.streams.core.ErrorKind;
import dev.streams.core.Event;
import dev.streams.core.Position;
import dev.streams.core.StreamsException;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads what Redis holds about topics: the authority's position (the meta hash) and the newest events (the
 * recovery stream). Blocking calls, with a timeout; failures become UNAVAILABLE.
 */
public final class Recovery {
    private static final byte[] EPOCH = "e".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OFFSET = "o".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEAD = "h".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BODY = "b".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ORIGIN = "o".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PROJECT = "p".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE = "m".getBytes(StandardCharsets.US_ASCII);

    /** An event from a recovery stream, and the node that accepted it. */
    public record Recovered(Event event, String origin) {
    }

    private final RedisAsyncCommands<byte[], byte[]> redis;
    private final Keys keys;
    private final long timeoutMillis;

    public Recovery(RedisAsyncCommands<byte[], byte[]> redis, Keys keys, Duration timeout) {
        this.redis = redis;
        this.keys = keys;
        this.timeoutMillis = timeout.toMillis();
    }

    /** The authority's newest position of a topic, or empty when Redis has none. */
    public Optional<Position> position(String project, String topic) {
        return Optional.ofNullable(parse(await(redis.hmget(keys.meta(project, topic), EPOCH, OFFSET))));
    }

    /** A topic of a project, and where it stands (on a node, or at the authority). */
    public record TopicAt(String project, String topic, Position position) {
    }

    /** The authority's positions of many topics, pipelined, in the same order; null where Redis has none. */
    public List<Position> positions(List<TopicAt> topics) {
        List<RedisFuture<List<KeyValue<byte[], byte[]>>>> replies = new ArrayList<>(topics.size());
        for (TopicAt t : topics) {
            replies.add(redis.hmget(keys.meta(t.project(), t.topic()), EPOCH, OFFSET));
        }
        List<Position> positions = new ArrayList<>(topics.size());
        for (RedisFuture<List<KeyValue<byte[], byte[]>>> reply : replies) {
            positions.add(parse(await(reply)));
        }
        return positions;
    }

    /**
     * The events of {@code epoch} with offsets in [from, to] that the stream still has, oldest first; only
     * the newest when it let go of older ones, since a stream is trimmed from its start.
     */
    public List<Recovered> read(String project, String topic, long epoch, long from, long to) {
        List<StreamMessage<byte[], byte[]>> entries = await(redis.xrange(keys.stream(project, topic),
                Range.create(from + "-0", to + "-0")));
        List<Recovered> events = new ArrayList<>(entries.size());
        for (StreamMessage<byte[], byte[]> entry : entries) {
            byte[] head = field(entry, HEAD);
            byte[] body = field(entry, BODY);
            byte[] origin = field(entry, ORIGIN);
            if (head == null || body == null) {
                continue;
            }
            EventCodec.Head h = EventCodec.Head.parse(new String(head, StandardCharsets.US_ASCII));
            if (h.epoch() == epoch) {
                events.add(new Recovered(EventCodec.event(project, h, ByteBuffer.wrap(body)),
                        origin == null ? "" : new String(origin, StandardCharsets.UTF_8)));
            }
        }
        return events;
    }

    /** The number of the last message published in the cluster (0 before the first). */
    public long sequence() {
        byte[] value = await(redis.get(keys.sequence()));
        return value == null ? 0 : Long.parseLong(new String(value, StandardCharsets.US_ASCII));
    }

    /**
     * The published messages numbered {@code from} to {@code to} that the log still has, oldest first (only
     * the newest, when it let go of older ones).
     */
    public List<EventCodec.Batch> messages(long from, long to) {
        List<StreamMessage<byte[], byte[]>> entries = await(redis.xrange(keys.log(),
                Range.create(from + "-0", to + "-0")));
        List<EventCodec.Batch> batches = new ArrayList<>(entries.size());
        for (StreamMessage<byte[], byte[]> entry : entries) {
            byte[] project = field(entry, PROJECT);
            byte[] message = field(entry, MESSAGE);
            if (project != null && message != null) {
                batches.add(EventCodec.message(new String(project, StandardCharsets.UTF_8), message));
            }
        }
        return batches;
    }

    /** A field of a stream entry (its map is keyed by byte arrays, so by identity: looked up by content). */
    private static byte[] field(StreamMessage<byte[], byte[]> entry, byte[] name) {
        for (Map.Entry<byte[], byte[]> f : entry.getBody().entrySet()) {
            if (Arrays.equals(f.getKey(), name)) {
                return f.getValue();
            }
        }
        return null;
    }

    private static Position parse(List<KeyValue<byte[], byte[]>> fields) {
        if (fields.size() < 2 || !fields.get(0).hasValue() || !fields.get(1).hasValue()) {
            return null;
        }
        return new Position(Long.parseLong(new String(fields.get(0).getValue(), StandardCharsets.US_ASCII)),
                Long.parseLong(new String(fields.get(1).getValue(), StandardCharsets.US_ASCII)));
    }

    private <T> T await(RedisFuture<T> reply) {
        try {
            return reply.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        } catch (ExecutionException e) {
            throw unavailable(e.getCause());
        } catch (TimeoutException e) {
            throw unavailable(e);
        }
    }

    /** What clients are told: not Redis's address or error text, which is for the operator's log. */
    private static StreamsException unavailable(Throwable cause) {
        System.getLogger(Recovery.class.getName()).log(System.Logger.Level.DEBUG, "Redis did not answer", cause);
        return new StreamsException(ErrorKind.UNAVAILABLE, "the cluster's Redis cannot recover missed events now; try again");
    }
}
