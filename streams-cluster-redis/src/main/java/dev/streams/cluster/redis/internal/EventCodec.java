package dev.streams.cluster.redis.internal;

import dev.streams.core.Event;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bytes of an event in Redis. The publishing node encodes the body (topic, content type, attributes,
 * payload); the script prepends the head it assigned ({@code "epoch offset seconds nanoseconds"}). A published
 * message is the publishing node's name, the message's number in the cluster's sequence and a newline, then {@code head + " " + bodyLength + "\n" + body} per
 * event; a recovery stream entry has the fields {@code h} (head), {@code b} (body) and {@code o} (node).
 */
public final class EventCodec {
    private EventCodec() {
    }

    /** The position and time the script assigned. */
    public record Head(long epoch, long offset, long timestampNanos) {
        /** Parses {@code "epoch offset seconds nanoseconds"}. */
        public static Head parse(String text) {
            String[] parts = text.trim().split(" ");
            if (parts.length != 4) {
                throw new IllegalArgumentException("bad head: " + text);
            }
            long nanos = Math.addExact(Math.multiplyExact(Long.parseLong(parts[2]), 1_000_000_000L),
                    Long.parseLong(parts[3]));
            return new Head(Long.parseLong(parts[0]), Long.parseLong(parts[1]), nanos);
        }
    }

    /** The body of an event: topic, content type, attributes and payload, length-prefixed. */
    public static byte[] body(Event event) {
        byte[] topic = utf8(event.topic());
        byte[] contentType = utf8(event.contentType());
        List<byte[]> attributes = new ArrayList<>();
        int size = 4 + topic.length + 4 + contentType.length + 4 + 4 + event.payloadLength();
        for (Map.Entry<String, String> a : event.attributes().entrySet()) {
            byte[] k = utf8(a.getKey());
            byte[] v = utf8(a.getValue());
            attributes.add(k);
            attributes.add(v);
            size += 8 + k.length + v.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        put(out, topic);
        put(out, contentType);
        out.putInt(attributes.size() / 2);
        for (byte[] part : attributes) {
            put(out, part);
        }
        out.putInt(event.payloadLength());
        out.put(event.payloadBuffer());
        return out.array();
    }

    /** The event a head and a body stand for. */
    public static Event event(String project, Head head, ByteBuffer body) {
        String topic = string(body);
        String contentType = string(body);
        int count = body.getInt();
        Map<String, String> attributes = count == 0 ? Map.of() : new HashMap<>();
        for (int i = 0; i < count; i++) {
            attributes.put(string(body), string(body));
        }
        byte[] payload = new byte[body.getInt()];
        body.get(payload);
        return new Event(project, topic, head.epoch(), head.offset(), head.timestampNanos(), payload, contentType,
                attributes);
    }

    /**
     * One published message: which node accepted its events, its number in the cluster's sequence, and the
     * events in the order they were positioned.
     */
    public record Batch(String origin, long sequence, List<Event> events) {
    }

    /** Reads one published message. */
    public static Batch message(String project, byte[] message) {
        List<Event> events = new ArrayList<>();
        int originEnd = lineEnd(message, 0);
        String first = new String(message, 0, originEnd, StandardCharsets.UTF_8);
        int split = first.lastIndexOf(' ');
        String origin = first.substring(0, split);
        long sequence = Long.parseLong(first.substring(split + 1));
        int at = originEnd + 1;
        while (at < message.length) {
            int newline = lineEnd(message, at);
            String line = new String(message, at, newline - at, StandardCharsets.US_ASCII);
            int space = line.lastIndexOf(' ');
            int length = Integer.parseInt(line.substring(space + 1));
            Head head = Head.parse(line.substring(0, space));
            events.add(event(project, head, ByteBuffer.wrap(message, newline + 1, length)));
            at = newline + 1 + length;
        }
        return new Batch(origin, sequence, events);
    }

    /** The index of the newline that ends the line starting at {@code from}. */
    private static int lineEnd(byte[] message, int from) {
        int at = from;
        while (message[at] != '\n') {
            at++;
        }
        return at;
    }

    private static void put(ByteBuffer out, byte[] part) {
        out.putInt(part.length);
        out.put(part);
    }

    private static String string(ByteBuffer in) {
        byte[] bytes = new byte[in.getInt()];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
