package dev.streams.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The load tool reads send times straight out of frames of either system; it must find each one, once. */
class BytesTest {
    @Test
    void findsEveryStampInStreamsAndBatchedNatsFrames() {
        byte[] a = Bytes.payload(1234567890123L, 128);
        byte[] b = Bytes.payload(42L, 128);
        assertThat(a).hasSize(128);
        String streams = "{\"type\":\"event\",\"topic\":\"bench\",\"text\":\"" + new String(a, StandardCharsets.US_ASCII) + "\"}";
        String nats = "MSG bench 1 128\r\n" + new String(a, StandardCharsets.US_ASCII) + "\r\nMSG bench 1 128\r\n"
                + new String(b, StandardCharsets.US_ASCII) + "\r\nPING\r\n";
        List<Long> seen = new ArrayList<>();
        assertThat(Bytes.forEachStamp(frame(streams), seen::add)).isEqualTo(1);
        assertThat(Bytes.forEachStamp(frame(nats), seen::add)).isEqualTo(2);
        assertThat(seen).containsExactly(1234567890123L, 1234567890123L, 42L);
        assertThat(Target.nats().answer(frame(nats))).isEqualTo("PONG\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(Target.streams("k", false).answer(frame(streams))).isNull();
    }

    /** Frames are read where Netty put them: a buffer whose readable part starts past its first bytes. */
    @Test
    void searchesOnlyTheReadableBytes() {
        assertThat(Bytes.contains(frame("PING"), "PONG")).isFalse();
        assertThat(Bytes.contains(frame("xxPONxPONG"), "PONG")).isTrue();
        assertThat(Bytes.contains(frame("PON"), "PONG")).isFalse();
        ByteBuf offset = Unpooled.copiedBuffer("PONG, then the frame: PIN", StandardCharsets.US_ASCII);
        offset.readerIndex(4);
        assertThat(Bytes.contains(offset, "PONG")).isFalse();
        List<Long> seen = new ArrayList<>();
        ByteBuf truncated = frame("@@" + "1".repeat(18));
        assertThat(Bytes.forEachStamp(truncated, seen::add)).isZero();
    }

    private static ByteBuf frame(String text) {
        ByteBuf buffer = Unpooled.buffer(text.length() + 8);
        buffer.writeBytes("head".getBytes(StandardCharsets.US_ASCII));
        buffer.readerIndex(4);
        buffer.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
        return buffer;
    }
}
