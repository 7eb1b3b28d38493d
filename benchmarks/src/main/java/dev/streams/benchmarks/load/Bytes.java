package dev.streams.benchmarks.load;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Byte scanning without building strings: the receive path of the load tool. Frames are searched where Netty
 * read them, with {@link ByteBuf#indexOf}, which compares eight bytes at a time.
 */
final class Bytes {
    /** Payloads start with this marker and 19 digits of the sender's System.nanoTime(). */
    static final byte[] MARK = "@@".getBytes(StandardCharsets.US_ASCII);
    /** In every acknowledgement of a Streams publish: looked for in each frame, so built once. */
    static final byte[] CURSOR = "\"cursor\"".getBytes(StandardCharsets.US_ASCII);

    private Bytes() {
    }

    static boolean contains(ByteBuf haystack, String needle) {
        return contains(haystack, needle.getBytes(StandardCharsets.US_ASCII));
    }

    /** The same with the needle's bytes, for a search made on every frame. */
    static boolean contains(ByteBuf haystack, byte[] needle) {
        return indexOf(haystack, needle, haystack.readerIndex()) >= 0;
    }

    /** Where {@code needle} first occurs in {@code haystack}'s readable bytes at or after {@code from}, or -1. */
    static int indexOf(ByteBuf haystack, byte[] needle, int from) {
        int end = haystack.writerIndex();
        int last = end - needle.length;
        for (int at = from; at <= last; at++) {
            at = haystack.indexOf(at, last + 1, needle[0]);
            if (at < 0) {
                return -1;
            }
            int j = 1;
            while (j < needle.length && haystack.getByte(at + j) == needle[j]) {
                j++;
            }
            if (j == needle.length) {
                return at;
            }
        }
        return -1;
    }

    /** A payload of {@code size} bytes (at least 21) stamped with {@code nanos}. */
    static byte[] payload(long nanos, int size) {
        byte[] out = new byte[size];
        java.util.Arrays.fill(out, (byte) 'x');
        out[0] = '@';
        out[1] = '@';
        long v = nanos;
        for (int i = 20; i >= 2; i--) {
            out[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return out;
    }

    private static final String[] WORDS = {"temp", "humidity", "pressure", "battery", "rssi", "lat", "lon", "speed"};

    /**
     * Like {@link #payload(long, int)}, but filled with readings ({@code temp 21.53 humidity 48.20 …} with random
     * values) rather than one repeated byte: text that compresses about as well as real device data.
     */
    static byte[] readingsPayload(long nanos, int size, java.util.Random random) {
        byte[] out = payload(nanos, size);
        StringBuilder text = new StringBuilder(size);
        while (text.length() < size) {
            text.append(' ').append(WORDS[random.nextInt(WORDS.length)]).append(' ')
                    .append(random.nextInt(1000)).append('.').append(random.nextInt(100));
        }
        byte[] filler = text.toString().getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(filler, 0, out, 21, size - 21);
        return out;
    }

    /** Calls {@code stamp} with the send time of every payload in a frame (NATS may batch several). */
    static int forEachStamp(ByteBuf frame, java.util.function.LongConsumer stamp) {
        int found = 0;
        int at = indexOf(frame, MARK, frame.readerIndex());
        while (at >= 0 && at + 21 <= frame.writerIndex()) {
            long nanos = 0;
            for (int i = at + 2; i < at + 21; i++) {
                nanos = nanos * 10 + (frame.getByte(i) - '0');
            }
            stamp.accept(nanos);
            found++;
            at = indexOf(frame, MARK, at + 21);
        }
        return found;
    }
}
