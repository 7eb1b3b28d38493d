package dev.streams.transport.ws.internal;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandshaker;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import io.netty.util.AttributeKey;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.Deflater;

/**
 * permessage-deflate (RFC 7692) with the server's side compressed once per broadcast. The server always
 * answers {@code server_no_context_takeover}: each message is compressed on its own, so one event's
 * compressed bytes are valid on every connection that negotiated the extension, and are computed once per
 * event and dialect ({@link FrameEncoding}). Netty's handlers inflate what clients send (with the
 * allocation bounded) and compress any frame written as an object.
 */
public final class Deflate {
    /** Set on a channel whose handshake negotiated permessage-deflate. */
    public static final AttributeKey<Boolean> NEGOTIATED = AttributeKey.valueOf(Deflate.class, "negotiated");
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};
    private static final ThreadLocal<Deflater> DEFLATERS = ThreadLocal.withInitial(() -> new Deflater(6, true));

    private Deflate() {
    }

    /** The handshaker for one upgrade; marks {@code channel} when it accepts an offer. */
    public static WebSocketServerExtensionHandshaker handshaker(Channel channel, int maxInflatedBytes) {
        PerMessageDeflateServerExtensionHandshaker netty = new PerMessageDeflateServerExtensionHandshaker(6, false,
                PerMessageDeflateServerExtensionHandshaker.MAX_WINDOW_SIZE, true, false, maxInflatedBytes);
        return offer -> {
            if (!"permessage-deflate".equals(offer.name())) {
                return null;
            }
            Map<String, String> parameters = new HashMap<>(offer.parameters());
            String serverWindow = parameters.get("server_max_window_bits");
            if (parameters.containsKey("server_max_window_bits") && !"15".equals(serverWindow)) {
                // The JDK's deflater always uses a 15-bit window: decline rather than break the client's limit.
                return null;
            }
            parameters.remove("server_max_window_bits");
            // Forced even when not offered (RFC 7692, 7.1.1.1): what makes one compression serve everyone.
            parameters.put("server_no_context_takeover", null);
            WebSocketServerExtension accepted = netty.handshakeExtension(
                    new WebSocketExtensionData(offer.name(), parameters));
            if (accepted != null) {
                channel.attr(NEGOTIATED).set(Boolean.TRUE);
            }
            return accepted;
        };
    }

    /**
     * Compresses one message for permessage-deflate without context takeover: raw deflate, flushed, with the
     * final empty block's {@code 00 00 FF FF} removed as RFC 7692 requires.
     */
    public static byte[] compress(byte[] message) {
        Deflater deflater = DEFLATERS.get();
        deflater.reset();
        deflater.setInput(message);
        byte[] out = new byte[Math.max(64, message.length / 2 + 64)];
        int length = 0;
        while (true) {
            length += deflater.deflate(out, length, out.length - length, Deflater.SYNC_FLUSH);
            if (length < out.length) {
                break;
            }
            out = Arrays.copyOf(out, out.length * 2);
        }
        if (length >= 4 && Arrays.equals(out, length - 4, length, TAIL, 0, 4)) {
            length -= 4;
        }
        return Arrays.copyOf(out, length);
    }
}
