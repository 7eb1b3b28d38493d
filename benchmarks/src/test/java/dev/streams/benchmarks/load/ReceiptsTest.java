package dev.streams.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** Only messages published in the window count toward what it owed, however many older ones arrive in it. */
class ReceiptsTest {
    @Test
    void aBacklogFromBeforeTheWindowIsReceivedButNotCountedAsTheWindows() {
        Receipts receipts = new Receipts();
        long start = System.nanoTime();
        assertThat(receipts.frame(frame(start - 5_000_000, start - 1))).isEqualTo(2);
        receipts.startWindow(start);
        assertThat(receipts.received()).isZero();
        assertThat(receipts.frame(frame(start - 2, start, start + 1))).isEqualTo(3);
        assertThat(receipts.received()).isEqualTo(3);
        assertThat(receipts.ofWindow()).isEqualTo(2);
        assertThat(receipts.interval().getTotalCount()).isEqualTo(3);
        assertThat(receipts.secondEnded()).isEqualTo(3);
        receipts.frame(frame(start + 2));
        assertThat(receipts.secondEnded()).isEqualTo(1);
        assertThat(receipts.windowLine(4, 0)).isEqualTo(
                "window: owed=4 arrived=3 lost=1 slowest_second=1 reported_dropped=0");
        assertThat(receipts.windowLine(3, -1)).endsWith("lost=0 slowest_second=1 reported_dropped=n/a");
    }

    /** One NATS-style frame carrying a message stamped with each of {@code stamps}. */
    private static ByteBuf frame(long... stamps) {
        ByteBuf frame = Unpooled.buffer();
        for (long stamp : stamps) {
            frame.writeBytes("MSG bench 1 32\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                    .writeBytes(Bytes.payload(stamp, 32)).writeBytes(new byte[] {'\r', '\n'});
        }
        return frame;
    }
}
