package dev.streams.transport.ws.internal;

import dev.streams.core.Encoding;
import dev.streams.core.Event;
import java.util.function.Function;

/**
 * One dialect's frame payload, encoded once per event, and its permessage-deflate twin, compressed once per
 * event from the plain bytes: every connection that negotiated compression gets the same compressed bytes,
 * every other connection the same plain ones. Create each as a constant.
 *
 * @param plain    the frame's text, UTF-8
 * @param deflated the same text compressed for permessage-deflate without context takeover
 * @param sse      the same text as the data lines of a Server-Sent Event, up to and including the blank line
 *                 that ends it (the {@code id:} line, which differs per connection, goes before it)
 */
public record FrameEncoding(Encoding<byte[]> plain, Encoding<byte[]> deflated, Encoding<byte[]> sse) {
    public static FrameEncoding of(String name, Function<Event, byte[]> encoder) {
        Encoding<byte[]> plain = Encoding.of(name, encoder);
        return new FrameEncoding(plain, Encoding.of(name + "+deflate", e -> Deflate.compress(e.encoded(plain))),
                Encoding.of(name + "+sse", e -> SseOutbound.dataLines(null, e.encoded(plain))));
    }
}
