package dev.streams.transport.ws.internal;

import dev.streams.core.Event;

/** The {@code id:} of each Server-Sent Event: what a reconnecting EventSource sends back as Last-Event-ID. */
@FunctionalInterface
public interface SseIds {
    /** For a stream of one topic: the event's cursor, which resumes it exactly. */
    SseIds CURSORS = event -> event.position().cursor();

    String idFor(Event event);
}
