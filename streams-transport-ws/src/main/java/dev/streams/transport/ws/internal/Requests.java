package dev.streams.transport.ws.internal;

import dev.streams.auth.Credentials;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Reading what the transport needs out of an HTTP request. */
public final class Requests {
    private Requests() {
    }

    /** Every place a client may have put a credential: headers and query parameters. */
    public static Credentials credentials(FullHttpRequest request, QueryStringDecoder query) {
        return new Credentials(request.headers().get(HttpHeaderNames.AUTHORIZATION), request.headers().get("x-api-key"),
                param(query, "x-api-key"), param(query, "jwt"));
    }

    public static String param(QueryStringDecoder query, String name) {
        List<String> values = query.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public static String body(FullHttpRequest request) {
        return request.content().toString(StandardCharsets.UTF_8);
    }
}
