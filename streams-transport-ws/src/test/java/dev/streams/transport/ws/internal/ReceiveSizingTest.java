package dev.streams.transport.ws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReceiveSizingTest {
    /**
     * The policy is Netty's adaptive one with Netty's 16 reads per readiness for stream channels: driven through
     * the same reads, both handles guess the same sizes and stop reading at the same points.
     */
    @Test
    void guessesAndStopsAsNettysAdaptiveSizingDoes() {
        EmbeddedChannel channel = new EmbeddedChannel();
        ChannelConfig config = channel.config();
        AdaptiveRecvByteBufAllocator netty = new AdaptiveRecvByteBufAllocator();
        netty.maxMessagesPerRead(ReceiveSizing.MAX_READS);
        RecvByteBufAllocator.Handle theirs = netty.newHandle();
        RecvByteBufAllocator.Handle ours = ReceiveSizing.INSTANCE.newHandle();
        Random random = new Random(42);
        List<Integer> guesses = new ArrayList<>();
        for (int readiness = 0; readiness < 5_000; readiness++) {
            theirs.reset(config);
            ours.reset(config);
            // A burst that fills every buffer, a quiet spell of a few bytes a read, then everything mixed.
            int mode = readiness < 100 ? 0 : readiness < 300 ? 1 : random.nextInt(3);
            boolean more;
            do {
                assertThat(ours.guess()).isEqualTo(theirs.guess());
                guesses.add(ours.guess());
                int attempted = ours.guess();
                int read = switch (mode) {
                    case 0 -> attempted;
                    case 1 -> 1 + random.nextInt(40);
                    default -> random.nextInt(attempted + 1);
                };
                for (RecvByteBufAllocator.Handle handle : List.of(theirs, ours)) {
                    handle.attemptedBytesRead(attempted);
                    handle.lastBytesRead(read);
                    handle.incMessagesRead(1);
                }
                more = ours.continueReading();
                assertThat(more).isEqualTo(theirs.continueReading());
            } while (more);
            theirs.readComplete();
            ours.readComplete();
        }
        assertThat(guesses).contains(64, 2048, 65_536).allSatisfy(size -> assertThat(size).isBetween(64, 65_536));
        channel.finishAndReleaseAll();
    }

    @Test
    void aReadinessEndsAfterSixteenFullReadsOrWhenReadingIsPaused() {
        EmbeddedChannel channel = new EmbeddedChannel();
        RecvByteBufAllocator.Handle handle = ReceiveSizing.INSTANCE.newHandle();
        handle.reset(channel.config());
        int reads = 0;
        do {
            handle.attemptedBytesRead(handle.guess());
            handle.lastBytesRead(handle.guess());
            handle.incMessagesRead(1);
            reads++;
        } while (handle.continueReading());
        assertThat(reads).isEqualTo(16);

        handle.reset(channel.config());
        handle.attemptedBytesRead(handle.guess());
        handle.lastBytesRead(handle.guess());
        handle.incMessagesRead(1);
        channel.config().setAutoRead(false);
        assertThat(handle.continueReading()).isFalse();
        channel.finishAndReleaseAll();
    }
}
