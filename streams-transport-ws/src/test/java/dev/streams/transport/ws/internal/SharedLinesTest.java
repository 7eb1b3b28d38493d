package dev.streams.transport.ws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Connections that take several messages per frame ({@code batch=true}) and the same run of events write one
 * multi-message frame each: a header of their own, then a slice of the loop's lane of lines, framed once. Whatever
 * else a turn takes, what reaches each socket is exactly its messages, newline-separated, in order.
 */
class SharedLinesTest extends LoopConnections {
    private static final byte[] E1 = payload('a', 150);
    private static final byte[] E2 = payload('b', 200);
    private static final byte[] E3 = payload('c', 120);

    /** A multi-message text frame: the messages, newline-separated. */
    private static byte[] linesFrame(byte[]... messages) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (int i = 0; i < messages.length; i++) {
            if (i > 0) {
                joined.write('\n');
            }
            joined.writeBytes(messages[i]);
        }
        return frames(joined.toByteArray());
    }

    /**
     * Runs {@code pass} three times and keeps what the last wrote: a lane sizes its buffer by what its recent passes
     * framed, and a first pass that outgrew its buffer falls back to copies for its rest, so it learns less.
     */
    private void settledPass(Runnable pass) throws Exception {
        turn(pass);
        secondPass(pass);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void connectionsTakingTheSameEventsWriteTheirOwnHeaderAndOneSharedRun() throws Exception {
        Conn a = connect();
        Conn b = connect();
        Conn c = connect();
        settledPass(() -> {
            for (byte[] event : List.of(E1, E2, E3)) {
                conns.forEach(conn -> conn.batcher.addSharedLine(event, "plain", null));
            }
        });
        for (Conn conn : List.of(a, b, c)) {
            assertThat(conn.writes).containsExactly(linesFrame(E1, E2, E3));
            // Two pieces, a header and the run; a copy of its own would be one (the header written in front).
            assertThat(conn.buffers).as("a header of its own, then the run").hasSize(2);
        }
        assertThat(a.buffers.get(1)).isEqualTo(b.buffers.get(1)).isEqualTo(c.buffers.get(1));
    }

    @Test
    void aReplyBetweenEventsMakesThatConnectionsFrameItsOwnAndTheOthersStillShare() throws Exception {
        Conn shared = connect();
        Conn replying = connect();
        byte[] reply = "{\"type\":\"ack\"}".getBytes(StandardCharsets.UTF_8);
        settledPass(() -> {
            shared.batcher.addSharedLine(E1, "plain", null);
            replying.batcher.addSharedLine(E1, "plain", null);
            replying.batcher.addLine(reply);
            for (byte[] event : List.of(E2, E3)) {
                shared.batcher.addSharedLine(event, "plain", null);
                replying.batcher.addSharedLine(event, "plain", null);
            }
        });
        assertThat(shared.writes).containsExactly(linesFrame(E1, E2, E3));
        assertThat(replying.writes).containsExactly(linesFrame(E1, reply, E2, E3));
        assertThat(replying.buffers).as("one buffer of its own").hasSize(1);
    }

    @Test
    void linesAndWholeFramesOfTheSameEventsAreEachTheirOwnLane() throws Exception {
        Conn lines = connect();
        Conn frames = connect();
        byte[] deflated = payload('z', 90);
        settledPass(() -> {
            for (byte[] event : List.of(E1, E2)) {
                lines.batcher.addSharedLine(event, "plain", null);
                frames.batcher.addShared(event, false, "plain");
            }
            // A compressed event goes in a frame of its own after the multi-message frame.
            lines.batcher.addShared(deflated, true, "deflated");
        });
        ByteBuf compressed = Unpooled.buffer();
        FrameBatcher.header(compressed, 0xC1, deflated.length);
        compressed.writeBytes(deflated);
        assertThat(lines.writes).containsExactly(concat(linesFrame(E1, E2), ByteBufUtil.getBytes(compressed)));
        assertThat(frames.writes).containsExactly(frames(E1, E2));
        compressed.release();
    }

    @Test
    void aRunPastTheEarlyFlushGoesOutAsSeveralWholeFramesWithEveryMessageOnce() throws Exception {
        Conn a = connect();
        Conn b = connect();
        List<byte[]> events = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            events.add(payload((char) ('a' + i % 26), 150));
        }
        secondPass(() -> events.forEach(
                event -> conns.forEach(conn -> conn.batcher.addSharedLine(event, "plain", null))));
        for (Conn conn : List.of(a, b)) {
            List<byte[]> messages = new ArrayList<>();
            int frameCount = 0;
            ByteBuf written = Unpooled.wrappedBuffer(concat(conn.writes.toArray(new byte[0][])));
            while (written.isReadable()) {
                assertThat((int) written.readUnsignedByte()).isEqualTo(0x81);
                int length = written.readUnsignedByte();
                length = length == 126 ? written.readUnsignedShort()
                        : length == 127 ? (int) written.readLong() : length;
                String payload = written.readCharSequence(length, StandardCharsets.ISO_8859_1).toString();
                for (String message : payload.split("\n", -1)) {
                    messages.add(message.getBytes(StandardCharsets.ISO_8859_1));
                }
                frameCount++;
            }
            assertThat(frameCount).isGreaterThan(1);
            assertThat(messages).containsExactlyElementsOf(events);
        }
    }
}
