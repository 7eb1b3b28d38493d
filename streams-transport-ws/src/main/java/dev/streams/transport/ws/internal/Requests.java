package dev.streams.transport.ws.internal;

import dev.streams.auth.Credentials;
import dev.streams.core.StartPosition;
import io.netty.handler.codec.http.FullHttpRequest;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Reading what the transport needs out of an HTTP request. */
public final class Requests {
    private Requests() {
    }

    /** Every place a client may have put a credential: headers and query parameters. */
    public static Credentials credentials(HttpRequest request, QueryStringDecoder query) {
        return new Credentials(request.headers().get(HttpHeaderNames.AUTHORIZATION), request.headers().get("x-api-key"),
                param(query, "x-api-key"), param(query, "jwt"));
    }

    public static String param(QueryStringDecoder query, String name) {
        List<String> values = query.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Whether a query flag is on: present as {@code name}, {@code name=true} or {@code name=1}. */
    public static boolean flag(QueryStringDecoder query, String name) {
        List<String> values = query.parameters().get(name);
        if (values == null || values.isEmpty()) {
            return false;
        }
        String value = values.get(0);
        return value.isEmpty() || value.equalsIgnoreCase("true") || value.equals("1");
    }

    /** Query parameters {@code names} as the string members of a JSON object (for decoders that read JSON). */
    public static com.google.gson.JsonObject asObject(QueryStringDecoder query, String... names) {
        com.google.gson.JsonObject object = new com.google.gson.JsonObject();
        for (String name : names) {
            String value = param(query, name);
            if (value != null) {
                if (value.matches("[0-9]{1,18}")) {
                    object.addProperty(name, Long.parseLong(value));
                } else {
                    object.addProperty(name, value);
                }
            }
        }
        return object;
    }

    /**
     * A stream's {@code since} (RFC 3339, any offset) as the start of a replay: the one reading of it, for every
     * dialect. Throws {@link BadInput} naming the form it wants.
     */
    public static StartPosition since(String text) {
        try {
            return StartPosition.since(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            throw new BadInput("since must be an RFC 3339 time such as 2026-01-31T12:00:00Z");
        }
    }

    /** The request's path, without the query. */
    public static String path(FullHttpRequest request) {
        return new QueryStringDecoder(request.uri()).path();
    }

    /** The request's idempotency key header, or null; its form is checked where it is used (the broker). */
    public static String idempotencyKey(HttpRequest request) {
        return request.headers().get(dev.streams.protocol.NativeProtocol.IDEMPOTENCY_KEY_HEADER);
    }

    public static String body(FullHttpRequest request) {
        return request.content().toString(StandardCharsets.UTF_8);
    }
}
