package dev.streams.transport.ws.internal.m3o;

import com.google.gson.JsonObject;
import dev.streams.auth.AuthFailure;
import dev.streams.core.Event;
import dev.streams.core.Gap;
import dev.streams.core.Position;
import dev.streams.transport.ws.internal.FrameEncoding;
import dev.streams.transport.ws.internal.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;

/** The m3o Streams wire format: the Message frame and the one table of errors. */
public final class M3oWire {
    /**
     * A delivered message: {@code {"topic","message","sent_at","id"}}. The message is the published string as
     * is, {@code sent_at} is the publisher's own when its request gave one and otherwise the server's time
     * with nanoseconds, and {@code id} is the resume cursor (m3o clients ignore it).
     */
    public static final FrameEncoding MESSAGE = FrameEncoding.of("m3o", M3oWire::encode);

    /** Attribute with the publisher's own {@code sent_at}, when its Publish request carried one. */
    public static final String SENT_AT = "sent_at";

    private M3oWire() {
    }

    private static byte[] encode(Event event) {
        StringBuilder out = new StringBuilder(96 + event.payloadLength());
        Json.quote(out.append("{\"topic\":"), event.topic());
        Json.quote(out.append(",\"message\":"), event.payloadAsString());
        String sentAt = event.attributes().get(SENT_AT);
        Json.quote(out.append(",\"sent_at\":"), sentAt != null ? sentAt : event.timestamp().toString());
        Position.appendCursor(out.append(",\"id\":\""), event.epoch(), event.offset()).append("\"}");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The opt-in gap message ({@code gaps=true}): {@code {"topic","gap":{"epoch","missed","cause"}}}, sent
     * before the messages that follow the hole; {@code missed} is -1 when unknown (the history restarted).
     */
    public static String gap(Gap gap) {
        StringBuilder out = new StringBuilder(128);
        Json.quote(out.append("{\"topic\":"), gap.topic());
        out.append(",\"gap\":{\"epoch\":\"").append(gap.epoch()).append("\",\"missed\":").append(gap.missed());
        Json.quote(out.append(",\"cause\":"), gap.cause().name()).append("}}");
        return out.toString();
    }

    /** The errors of COMPAT.md, in the order the service checks them, plus the gateway's and ours. */
    public enum Error {
        MISSING_TOKEN("MISSING_TOKEN", 400, "Missing token"),
        MISSING_TOPIC("MISSING_TOPIC", 400, "Missing topic"),
        INVALID_TOPIC("MISSING_TOPIC", 400, "Invalid topic"),
        MISSING_MESSAGE("MISSING_MESSAGE", 400, "Missing message"),
        MESSAGE_NOT_STRING("BAD_REQUEST", 400, "message must be a string; to send JSON, send it as text"),
        INVALID_TOKEN("INVALID_TOKEN", 403, "Invalid token"),
        EXPIRED_TOKEN("EXPIRED_TOKEN", 403, "Token expired"),
        REVOKED_TOKEN("INVALID_TOKEN", 403, "Token revoked"),
        FORBIDDEN_TOPIC("FORBIDDEN_TOPIC", 403, "Token has not have permission to subscribe to this topic"),
        BAD_REQUEST("BAD_REQUEST", 400, "Invalid JSON request"),
        BAD_CURSOR("BAD_REQUEST", 400, "Invalid resume cursor"),
        BAD_SENT_AT("BAD_REQUEST", 400, "sent_at must be an RFC 3339 time"),
        TOO_LARGE("BAD_REQUEST", 400, "Message too large"),
        UNAUTHORIZED("UNAUTHORIZED", 401, "Unauthorized"),
        FORBIDDEN("FORBIDDEN", 403, "Forbidden"),
        METHOD_NOT_ALLOWED("METHOD_NOT_ALLOWED", 405, "Use POST"),
        NEEDS_WEBSOCKET("BAD_REQUEST", 400, "Subscribe is a WebSocket stream"),
        SLOW_CONSUMER("SLOW_CONSUMER", 429, "Client is not reading fast enough");

        private final String id;
        private final int code;
        private final String detail;

        Error(String id, int code, String detail) {
            this.id = id;
            this.code = code;
            this.detail = detail;
        }

        public String id() {
            return id;
        }

        public int code() {
            return code;
        }

        /** {@code {"id","code","detail","status"}} as go-micro wrote it. */
        public String body() {
            return M3oWire.body(id, code, detail);
        }

        /** WebSocket close code: 4000 plus the HTTP status. */
        public int closeCode() {
            return 4000 + code;
        }
    }

    /**
     * An error outside the table (timeouts, oversize bodies, unknown paths) in go-micro's shape, its id
     * derived from the HTTP status.
     */
    public static String errorBody(int httpStatus, String detail) {
        String id = switch (httpStatus) {
            case 400 -> "BAD_REQUEST";
            case 401 -> "UNAUTHORIZED";
            case 403 -> "FORBIDDEN";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 408 -> "REQUEST_TIMEOUT";
            case 413 -> "REQUEST_TOO_LARGE";
            case 429 -> "TOO_MANY_REQUESTS";
            case 503 -> "UNAVAILABLE";
            case 504 -> "GATEWAY_TIMEOUT";
            default -> "INTERNAL_SERVER_ERROR";
        };
        return body(id, httpStatus, detail);
    }

    private static String body(String id, int code, String detail) {
        JsonObject error = new JsonObject();
        error.addProperty("id", id);
        error.addProperty("code", code);
        error.addProperty("detail", detail);
        error.addProperty("status", HttpResponseStatus.valueOf(code).reasonPhrase());
        return Json.GSON.toJson(error);
    }

    /** How a refused credential reads in m3o: on the stream it is a token problem, over HTTP a key problem. */
    public static Error of(AuthFailure failure, boolean streamToken) {
        if (!streamToken) {
            return failure.isUnauthenticated() ? Error.UNAUTHORIZED : Error.FORBIDDEN;
        }
        if (failure == AuthFailure.MISSING_CREDENTIAL) {
            return Error.MISSING_TOKEN;
        }
        if (failure == AuthFailure.EXPIRED) {
            return Error.EXPIRED_TOKEN;
        }
        return failure.isUnauthenticated() ? Error.INVALID_TOKEN : Error.FORBIDDEN_TOPIC;
    }
}
