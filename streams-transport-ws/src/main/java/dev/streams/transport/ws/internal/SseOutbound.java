package dev.streams.transport.ws.internal;

import dev.streams.core.Event;
import dev.streams.core.Position;
import dev.streams.core.StartPosition;
import dev.streams.core.Topics;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Server-Sent Events on a chunked HTTP response: each event is an {@code id:} line (its resume point, from
 * {@link SseIds}) and the event's shared data lines; the session's own messages are named events
 * ({@code event: gap}, {@code event: error}, {@code event: expiring}), which an {@code EventSource} delivers
 * only to listeners of that name, so unmodified clients see the original data alone. Ends with an
 * {@code error} event (when failing) and the end of the response.
 */
public final class SseOutbound extends Outbound {
    private static final byte[] HEARTBEAT = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private final Channel channel;
    private SseIds ids = SseIds.CURSORS;
    /** The server's resume record of a pattern stream, released when the stream ends; null for one topic. */
    private SseResumes resumes;
    private SseResumes.Record record;
    private final FrameBatcher buffer;
    private boolean ended;

    public SseOutbound(Channel channel, OutboundBudget budget) {
        this.channel = channel;
        this.buffer = new FrameBatcher(channel, budget);
    }

    /**
     * After the client's Last-Event-ID when it has one (the cursor itself for one topic; the server's resume record
     * for a pattern), else at {@code fresh}; sets the ids this stream gives its events.
     */
    @Override
    StartPosition resumeFrom(SseResumes resumes, String project, String pattern, StartPosition fresh,
                             String lastEventId, Runnable resumeLost) {
        if (!Topics.hasWildcard(pattern)) {
            ids = SseIds.CURSORS;
            return lastEventId == null || lastEventId.isEmpty() ? fresh
                    : StartPosition.after(Position.fromCursor(lastEventId));
        }
        SseResumes.Start start = resumes.start(project, pattern, lastEventId, fresh);
        ids = start.ids();
        this.resumes = resumes;
        this.record = start.record();
        if (start.resumeLost()) {
            resumeLost.run();
        }
        return start.position();
    }

    /** Tells the client how soon to reconnect when the stream breaks (EventSource's default is seconds). */
    @Override
    void opened() {
        byte[] retry = "retry: 1000\n\n".getBytes(StandardCharsets.US_ASCII);
        buffer.buffer(retry.length).writeBytes(retry);
    }

    @Override
    public boolean namesEvents() {
        return true;
    }

    @Override
    int event(Event event, FrameEncoding encoding, boolean topicLane) {
        byte[] data = event.encoded(encoding.sse());
        byte[] id = ("id: " + ids.idFor(event) + "\n").getBytes(StandardCharsets.US_ASCII);
        buffer.buffer(id.length + data.length).writeBytes(id).writeBytes(data);
        return id.length + data.length;
    }

    @Override
    int message(String kind, byte[] utf8) {
        byte[] framed = dataLines(kind, utf8);
        buffer.buffer(framed.length).writeBytes(framed);
        return framed.length;
    }

    /** A comment line, so that proxies and the client see the stream alive while no event comes. */
    void heartbeat() {
        buffer.buffer(HEARTBEAT.length).writeBytes(HEARTBEAT);
    }

    @Override
    void end(byte[] lastMessage, int code, String reason) {
        if (lastMessage != null) {
            message("error", lastMessage);
        }
        end(code, reason);
    }

    @Override
    void end(int code, String reason) {
        if (ended) {
            return;
        }
        ended = true;
        buffer.flush();
        if (!channel.isWritable()) {
            channel.close();
            return;
        }
        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    FrameBatcher frames() {
        return buffer;
    }

    @Override
    void discard() {
        buffer.discard();
        if (record != null) {
            resumes.closed(record);
            record = null;
        }
    }

    /**
     * {@code [event: <kind>\n]data: <line>\n…\n}: one {@code data:} line per line of the text (SSE has no
     * escaping, so a line break in the text starts a new data line, which the client joins back with
     * {@code \n}).
     */
    static byte[] dataLines(String kind, byte[] utf8) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(utf8.length + 16);
        if (kind != null) {
            out.writeBytes(("event: " + kind + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(DATA);
        for (int i = 0; i < utf8.length; i++) {
            byte b = utf8[i];
            if (b == '\r' || b == '\n') {
                if (b == '\r' && i + 1 < utf8.length && utf8[i + 1] == '\n') {
                    i++;
                }
                out.write('\n');
                out.writeBytes(DATA);
            } else {
                out.write(b);
            }
        }
        out.write('\n');
        out.write('\n');
        return out.toByteArray();
    }

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);

}
