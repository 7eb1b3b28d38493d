package dev.streams.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One published message as the broker stored it: immutable, and shared by reference with every subscriber.
 * The payload is opaque to the core. {@link #epoch()} and {@link #offset()} together are a resume point for
 * the event's topic.
 */
public final class Event {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** The content type used when a publisher gives none. */
    public static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
    /** The media type of a payload that is valid JSON (see {@link #isJson()}). */
    public static final String JSON = "application/json";

    private final String project;
    private final String topic;
    private final long epoch;
    private final long offset;
    private final long timestampNanos;
    private final byte[] payload;
    private final String contentType;
    private final Map<String, String> attributes;
    /** Lazily created; slot i holds the result of the encoding with id i. */
    private volatile Object[] encodings;

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle ENCODINGS;

    static {
        try {
            ENCODINGS = MethodHandles.lookup().findVarHandle(Event.class, "encodings", Object[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Creates an event; used by the broker and by {@link TopicHistory} implementations that load stored
     * events. The payload array is taken as is and must not be changed afterwards.
     */
    public Event(String project, String topic, long epoch, long offset, long timestampNanos, byte[] payload,
                 String contentType, Map<String, String> attributes) {
        this.project = project;
        this.topic = topic;
        this.epoch = epoch;
        this.offset = offset;
        this.timestampNanos = timestampNanos;
        this.payload = payload;
        this.contentType = contentType;
        this.attributes = Map.copyOf(attributes);
    }

    /** The project the event belongs to. */
    public String project() {
        return project;
    }

    /** The topic it was published to. */
    public String topic() {
        return topic;
    }

    /** Identifies the incarnation of the topic's history; offsets are only comparable within one epoch. */
    public long epoch() {
        return epoch;
    }

    /** Position in the topic, starting at 1 and rising by one per event within an epoch. */
    public long offset() {
        return offset;
    }

    /** This event's resume point: subscribing {@code after} it continues with the next event. */
    public Position position() {
        return new Position(epoch, offset);
    }

    /** Nanoseconds since the Unix epoch; strictly increasing within a topic. */
    public long timestampNanos() {
        return timestampNanos;
    }

    /** When the broker stored it (strictly increasing per topic). */
    public Instant timestamp() {
        return instantOf(timestampNanos);
    }

    /**
     * An instant as nanoseconds since 1970, as events and the history store count time: the one conversion.
     * Instants outside what a long holds (about 1677 to 2262) saturate to {@link Long#MIN_VALUE} or
     * {@link Long#MAX_VALUE}, so they still compare as before or after every event.
     */
    public static long epochNanosOf(Instant instant) {
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano());
        } catch (ArithmeticException outOfRange) {
            return instant.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** Nanoseconds since 1970 as an instant (the inverse of {@link #epochNanosOf}). */
    public static Instant instantOf(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, NANOS_PER_SECOND), Math.floorMod(epochNanos, NANOS_PER_SECOND));
    }

    /** Whether the payload is JSON: its content type is {@value #JSON}, with or without parameters. */
    public boolean isJson() {
        return contentType.startsWith(JSON);
    }

    /** A copy of the payload. */
    public byte[] payload() {
        return payload.clone();
    }

    /** A read-only view of the payload, without copying: for encoders on the hot path. */
    public ByteBuffer payloadBuffer() {
        return ByteBuffer.wrap(payload).asReadOnlyBuffer();
    }

    /** The payload's size in bytes. */
    public int payloadLength() {
        return payload.length;
    }

    /** The payload decoded as UTF-8. */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /**
     * The payload's media type. {@code application/json} is a promise that the payload is valid JSON:
     * transports splice such payloads into their frames as they are, without parsing them again.
     */
    public String contentType() {
        return contentType;
    }

    /** Publisher-supplied string attributes (for example a device id); never null. */
    public Map<String, String> attributes() {
        return attributes;
    }

    /**
     * This event in the given encoding, computed by the first caller and shared with all later ones, so a
     * dialect encodes each event once however many subscribers it has. Two racing first callers may both
     * compute it; one result wins and both get it.
     */
    @SuppressWarnings("unchecked")
    public <T> T encoded(Encoding<T> encoding) {
        Object[] slots = encodings;
        if (slots == null) {
            ENCODINGS.compareAndSet(this, null, new Object[Encoding.MAX_ENCODINGS]);
            slots = encodings;
        }
        Object cached = SLOTS.getAcquire(slots, encoding.id());
        if (cached != null) {
            return (T) cached;
        }
        T fresh = Objects.requireNonNull(encoding.encode(this), "encoding produced null");
        Object witness = SLOTS.compareAndExchangeRelease(slots, encoding.id(), null, fresh);
        return witness == null ? fresh : (T) witness;
    }

    /** Bytes this event is charged for in history and subscriber queue limits. */
    public long sizeInBytes() {
        return 96L + payload.length + 2L * topic.length();
    }

    @Override
    public String toString() {
        return "Event[" + project + '/' + topic + " epoch=" + epoch + " offset=" + offset + " at "
                + timestamp() + ", " + payload.length + " bytes " + contentType + ']';
    }
}
