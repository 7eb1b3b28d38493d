package dev.streams.transport.ws.internal;

import dev.streams.core.Event;
import dev.streams.core.StartPosition;

/**
 * Where a session's messages go: a WebSocket ({@link WebSocketOutbound}) or a Server-Sent Events response
 * ({@link SseOutbound}). Events arrive in their dialect's shared encoding and are framed here without copying
 * the encoded bytes per connection; everything a turn produces goes out in one write. Event loop only.
 */
public abstract class Outbound {
    /** The handshake completed (the WebSocket upgrade, or the SSE response head was written). */
    void opened() {
    }

    /** Whether this transport can name messages, so dialects may send gap messages unasked. */
    public boolean namesEvents() {
        return false;
    }

    /**
     * Where a stream that a client reconnected with {@code lastEventId} starts: {@code fresh} here (a WebSocket
     * resumes with its dialect's own cursors); an event stream overrides it. {@code resumeLost} runs when a
     * resume was asked for and cannot be honoured (the stream then starts live).
     */
    StartPosition resumeFrom(SseResumes resumes, String project, String pattern, StartPosition fresh,
                             String lastEventId, Runnable resumeLost) {
        return fresh;
    }

    /**
     * Frames one event; returns the bytes it adds to the stream. {@code topicLane}: the connection takes this topic
     * and no other, so its frames may be shared with the loop's other such connections in the topic's own lane.
     */
    abstract int event(Event event, FrameEncoding encoding, boolean topicLane);

    /**
     * Frames one message of the session's own: a reply, a gap, a warning. {@code kind} names it where the
     * transport names messages ("gap", "expiring"); null for a plain message.
     */
    abstract int message(String kind, byte[] utf8);

    /** Sends {@code lastMessage} (if any) as an error, then ends the stream with the code and reason it has. */
    abstract void end(byte[] lastMessage, int code, String reason);

    /** Ends the stream without a last message (server shutdown, idle). */
    abstract void end(int code, String reason);

    /** Drops what was collected but not written (the channel is gone). */
    abstract void discard();

    /** The batcher this outbound writes through. */
    abstract FrameBatcher frames();

    /** Bytes this connection holds in its outbound buffer, as counted in the server's {@link OutboundBudget}. */
    final long heldBytes() {
        return frames().heldBytes();
    }

    /** Who hears of this connection's writes and of its outbound buffer emptying. */
    final void owner(FrameBatcher.Owner owner) {
        frames().owner(owner);
    }
}
