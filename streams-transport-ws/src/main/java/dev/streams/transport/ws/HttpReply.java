package dev.streams.transport.ws;

import java.nio.charset.StandardCharsets;

/** The answer of a host {@link HttpEndpoint}. */
public record HttpReply(int status, String contentType, byte[] body) {
    /** Copies the body: a reply is a value, and an endpoint may reuse its buffer. */
    public HttpReply {
        body = body.clone();
    }

    /** The response body; a copy. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** A JSON reply. */
    public static HttpReply json(int status, String json) {
        return new HttpReply(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** A plain-text reply. */
    public static HttpReply text(int status, String text) {
        return new HttpReply(status, "text/plain", text.getBytes(StandardCharsets.UTF_8));
    }
}
