package dev.streams.transport.ws.internal;

import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;

/**
 * The sending half of a {@link Session}: frames its messages through its {@link Outbound}, adds them to its
 * dialect's counters once a turn, and ends its stream. While a stream's answer to its opening request is held
 * ({@link PendingOpen}), what the client must hear after that answer (a gap, a failure and its close) waits for
 * it here, so no byte of a stream goes out before its opening. Event loop only, as the session.
 */
abstract class SessionOutput implements FrameBatcher.Owner {
    final Channel channel;
    /** Where this session's messages go: a WebSocket or a Server-Sent Events response. */
    final Outbound out;
    /** This dialect's counters, looked up once: sendEncoded runs for every frame to every subscriber. */
    final ServerMetrics.PerDialect counters;
    /** Ending: nothing more of the session's own is sent, and subscriptions are cancelled. */
    boolean closing;
    /** A stream's answer to its opening request, held until its subscription is live; null otherwise. */
    PendingOpen pendingOpen;
    /** Messages (and their bytes) of this turn, not yet added to the dialect's counters. */
    private long unsentBytes;
    private int unsentMessages;

    SessionOutput(Channel channel, Outbound out, ServerMetrics.PerDialect counters) {
        this.channel = channel;
        this.out = out;
        this.counters = counters;
    }

    /** Cancels every subscription of the session: it is ending. */
    abstract void cancelAll();

    /** Whether the session is ending. */
    public boolean isClosing() {
        return closing;
    }

    /** Counts one message of {@code bytes} framed this turn. */
    final void counted(int bytes) {
        unsentBytes += bytes;
        unsentMessages++;
    }

    /** Sends one message of this session's own (a reply, a warning). */
    void sendEncoded(byte[] utf8) {
        counted(out.message(null, utf8));
    }

    /** Sends a gap message of the dialect's (held, while the opening answer is, until after it). */
    public void sendGap(String json) {
        if (pendingOpen != null) {
            pendingOpen.afterAnswer(() -> sendGap(json));
            return;
        }
        counted(out.message("gap", json.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Adds what this turn sent to the dialect's counters, once a turn when the batch is written: the counters
     * are shared by every event loop, so they are touched once a turn rather than twice a message.
     */
    @Override
    public final void flushed() {
        if (unsentMessages > 0) {
            counters.bytesOut.add(unsentBytes);
            counters.framesOut.add(unsentMessages);
            unsentBytes = 0;
            unsentMessages = 0;
        }
    }

    /** Sends one message of this session's own, as text. */
    public void send(String text) {
        sendEncoded(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Ends the session: {@code lastFrame} (if any) as the dialect's error, then the close with its code. */
    public void end(String lastFrame, int code, String reason) {
        if (closing) {
            return;
        }
        counters.errors.increment();
        closing = true;
        cancelAll();
        byte[] last = lastFrame == null ? null : lastFrame.getBytes(StandardCharsets.UTF_8);
        if (pendingOpen != null) {
            // The client hears why once the stream it asked for is open, as a failure after opening says it.
            pendingOpen.afterAnswer(() -> out.end(last, code, reason));
            pendingOpen.answer();
            return;
        }
        out.end(last, code, reason);
    }

    /** Closes with a code and reason and no last frame of the dialect's (idle timeout, shutdown). */
    void close(int code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        cancelAll();
        if (pendingOpen != null) {
            pendingOpen = null; // not answered yet: there is no stream to close, only the connection
            channel.close();
            return;
        }
        out.end(code, reason);
    }

    /** The client began the close handshake: the session sends nothing more of its own. */
    void peerClosed() {
        if (!closing) {
            closing = true;
            cancelAll();
        }
    }
}
