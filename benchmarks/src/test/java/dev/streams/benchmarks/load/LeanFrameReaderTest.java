package dev.streams.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The load tool's frame reader must hand over every payload exactly as sent, however the socket's reads cut the
 * frames, and leave control frames to Netty's protocol handler.
 */
class LeanFrameReaderTest {
    private final List<String> payloads = new ArrayList<>();

    private EmbeddedChannel channel() {
        return new EmbeddedChannel(new LeanFrameReader(
                (channel, frame) -> payloads.add(frame.toString(StandardCharsets.US_ASCII)), 1 << 20));
    }

    @Test
    void everyPayloadArrivesWholeWhereverTheReadsCutTheFrames() {
        String small = "{\"type\":\"event\",\"text\":\"@@0000000000000000042\"}";
        String medium = "m".repeat(300);
        String large = "L".repeat(70_000);
        byte[] stream = concat(frame(0x81, small), frame(0x82, medium), frame(0x81, large), frame(0x81, ""));
        for (int cut : new int[] {1, 2, 3, 5, 9, 11, 64, 301, 4096, stream.length}) {
            payloads.clear();
            EmbeddedChannel channel = channel();
            for (int at = 0; at < stream.length; at += cut) {
                channel.writeInbound(Unpooled.copiedBuffer(stream, at, Math.min(cut, stream.length - at)));
            }
            assertThat(payloads).as("reads of %d bytes", cut).containsExactly(small, medium, large, "");
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void aPingGoesOnAsNettysFrameForTheProtocolHandlerToAnswer() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(Unpooled.wrappedBuffer(concat(frame(0x89, "hi"), frame(0x81, "after"))));
        PingWebSocketFrame ping = channel.readInbound();
        assertThat(ping.content().toString(StandardCharsets.US_ASCII)).isEqualTo("hi");
        ping.release();
        assertThat(payloads).containsExactly("after");
        channel.finishAndReleaseAll();
    }

    @Test
    void aMaskedOrOversizeFrameFromTheServerIsAnError() {
        byte[] masked = frame(0x81, "x");
        masked[1] |= (byte) 0x80;
        assertThatThrownBy(() -> channel().writeInbound(Unpooled.wrappedBuffer(masked)))
                .isInstanceOf(CorruptedWebSocketFrameException.class).hasMessageContaining("masked");
        EmbeddedChannel small = new EmbeddedChannel(new LeanFrameReader((c, f) -> { }, 10));
        assertThatThrownBy(() -> small.writeInbound(Unpooled.wrappedBuffer(frame(0x81, "x".repeat(11)))))
                .isInstanceOf(CorruptedWebSocketFrameException.class).hasMessageContaining("over 10");
    }

    /** A server's frame (unmasked) with the given first byte (FIN and opcode). */
    private static byte[] frame(int first, String payload) {
        byte[] body = payload.getBytes(StandardCharsets.US_ASCII);
        ByteBuf out = Unpooled.buffer();
        out.writeByte(first);
        if (body.length < 126) {
            out.writeByte(body.length);
        } else if (body.length < 65536) {
            out.writeByte(126).writeShort(body.length);
        } else {
            out.writeByte(127).writeLong(body.length);
        }
        out.writeBytes(body);
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuf out = Unpooled.buffer();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }
}
