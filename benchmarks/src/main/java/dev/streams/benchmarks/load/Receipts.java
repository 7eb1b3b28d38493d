package dev.streams.benchmarks.load;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the subscribers received, from the send stamps in their frames: each message's latency, how many arrived,
 * and how many of those were published in the measurement window. The last is what "lost" is judged by: a
 * count of all arrivals would also take in messages of the warm-up that a server still held when the window
 * began (flat out, seconds' worth), and hide the window's own losses behind them. Frames arrive on the client's
 * event-loop threads; the counts are read by the publisher's thread.
 */
final class Receipts {
    private final Recorder latency = new Recorder(3);
    private final LongAdder received = new LongAdder();
    private final LongAdder ofWindow = new LongAdder();
    /** Received when the last second ended, and the fewest received in one second (the publisher's thread). */
    private long atLastSecond;
    private long slowestSecond = Long.MAX_VALUE;
    /** Stamps at or after this were published in the window; none is before it starts. */
    private volatile long windowStart = Long.MAX_VALUE;
    private final ThreadLocal<Scan> scans = ThreadLocal.withInitial(Scan::new);

    /** Records the stamps in one frame (any client thread); returns how many it carried. */
    int frame(ByteBuf frame) {
        Scan scan = scans.get();
        scan.now = System.nanoTime();
        scan.windowStart = windowStart;
        scan.ofWindow = 0;
        int stamps = Bytes.forEachStamp(frame, scan);
        received.add(stamps);
        if (scan.ofWindow > 0) {
            ofWindow.add(scan.ofWindow);
        }
        return stamps;
    }

    /** Starts the window at {@code nanos} (the tool's clock): messages stamped from then on are the window's. */
    void startWindow(long nanos) {
        received.reset();
        atLastSecond = 0;
        latency.getIntervalHistogram();
        windowStart = nanos;
    }

    /** Ends one second of the window: returns the messages received in it. */
    long secondEnded() {
        long now = received.sum();
        long inSecond = now - atLastSecond;
        atLastSecond = now;
        slowestSecond = Math.min(slowestSecond, inSecond);
        return inSecond;
    }

    /**
     * One line a script can read: deliveries {@code owed} for the window's messages, how many of them arrived,
     * the difference, the fewest delivered in one second, and {@code dropped}, what the server says it dropped
     * and told its subscribers of (with a gap) over the window and the wait after it (negative when unknown).
     */
    String windowLine(long owed, long dropped) {
        long arrived = ofWindow();
        return String.format(java.util.Locale.ROOT, "window: owed=%d arrived=%d lost=%d slowest_second=%d"
                + " reported_dropped=%s", owed, arrived, owed - arrived,
                slowestSecond == Long.MAX_VALUE ? 0 : slowestSecond, dropped < 0 ? "n/a" : Long.toString(dropped));
    }

    /** Messages received since the window started, whenever they were published. */
    long received() {
        return received.sum();
    }

    /** Messages received that were published in the window. */
    long ofWindow() {
        return ofWindow.sum();
    }

    /** Latencies recorded since the last call. */
    Histogram interval() {
        return latency.getIntervalHistogram();
    }

    /** One thread's state while it scans a frame: no object built per frame. */
    private final class Scan implements LongConsumer {
        long now;
        long windowStart;
        int ofWindow;

        @Override
        public void accept(long sent) {
            latency.recordValue(Math.max(0, now - sent) / 1000);
            if (sent >= windowStart) {
                ofWindow++;
            }
        }
    }
}
