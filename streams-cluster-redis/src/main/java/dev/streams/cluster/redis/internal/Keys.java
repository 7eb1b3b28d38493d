package dev.streams.cluster.redis.internal;

import java.nio.charset.StandardCharsets;

/**
 * Where a cluster keeps things in Redis: per topic a hash and a recovery stream, per project a channel (one
 * per project, not per topic: a node listens to all of them with one pattern subscription), and for the
 * whole cluster one message sequence and the log of the messages under their numbers.
 */
public final class Keys {
    private final String prefix;

    public Keys(String prefix) {
        this.prefix = prefix;
    }

    /** The hash holding a topic's epoch ({@code e}), last offset ({@code o}) and last timestamp ({@code s}, {@code n}). */
    public byte[] meta(String project, String topic) {
        return bytes(prefix + ":{" + project + "}:m:" + topic);
    }

    /** The topic's recovery stream: its newest events, with entry ids {@code <offset>-0}. */
    public byte[] stream(String project, String topic) {
        return bytes(prefix + ":{" + project + "}:s:" + topic);
    }

    /** The project's recovery bytes per stream: a sorted set of stream keys scored by the bytes each holds. */
    public byte[] ledger(String project) {
        return bytes(prefix + ":{" + project + "}:ledger");
    }

    /** The project's recovery bytes in all, the sum of its {@link #ledger}. */
    public byte[] recoveryBytes(String project) {
        return bytes(prefix + ":{" + project + "}:bytes");
    }

    /** The project's idempotency keys within the window: a hash of key to the first publish's topic and head. */
    public byte[] idempotency(String project) {
        return bytes(prefix + ":{" + project + "}:idem");
    }

    /** When each of the project's idempotency keys expires: a sorted set of keys scored by milliseconds. */
    public byte[] idempotencyExpiry(String project) {
        return bytes(prefix + ":{" + project + "}:idem:exp");
    }

    /** The number of the last message published, cluster-wide. */
    public byte[] sequence() {
        return bytes(prefix + ":seq");
    }

    /** The newest published messages, with entry ids {@code <number>-0}. */
    public byte[] log() {
        return bytes(prefix + ":log");
    }

    /** The project's channel, on which every positioned batch of its events is published. */
    public byte[] channel(String project) {
        return bytes(prefix + ":{" + project + "}");
    }

    /** The pattern matching every project's channel. */
    public byte[] channels() {
        return bytes(prefix + ":{*}");
    }

    /** The project a channel belongs to, or null when the channel is not one of ours. */
    public String projectOf(byte[] channel) {
        String name = new String(channel, StandardCharsets.UTF_8);
        int open = prefix.length() + 1;
        if (!name.startsWith(prefix + ":{") || !name.endsWith("}") || name.length() <= open + 1) {
            return null;
        }
        return name.substring(open + 1, name.length() - 1);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
