package dev.streams.transport.ws.internal.golioth;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import dev.streams.devices.DeviceTopics;
import dev.streams.auth.Principal;
import dev.streams.core.HistoryQuery;
import dev.streams.transport.ws.internal.Dialect;
import dev.streams.transport.ws.internal.Failure;
import dev.streams.transport.ws.internal.HttpReplies;
import dev.streams.transport.ws.internal.Json;
import dev.streams.transport.ws.internal.Requests;
import dev.streams.transport.ws.internal.ServerContext;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Golioth's History REST API: {@code GET|POST /v1/projects/{p}/devices/{d}/stream} and
 * {@code GET|POST /v1/projects/{p}/stream}. A query reads device data only, and of it only the devices whose
 * streams the credential may subscribe to (a token for some devices sees those devices in the project query).
 * The query runs in the database on the server's query threads, never on the event loop, at most a few of one
 * project's at once ({@link dev.streams.transport.ws.internal.QueryGate}); the answer is
 * {@code {"list":[…],"page","perPage","total"}}, newest first, and errors are Golioth's REST shape.
 */
public final class GoliothHistoryHttp {
    private final ServerContext server;

    public GoliothHistoryHttp(ServerContext server) {
        this.server = server;
    }

    /** Answers a history request; {@code deviceId} is null for the project path. */
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, String project, String deviceId) {
        boolean post = request.method().equals(HttpMethod.POST);
        if (!post && !request.method().equals(HttpMethod.GET)) {
            reply(ctx, request, Failure.BAD_REQUEST, "use GET or POST to query history");
            return;
        }
        HistoryQuery query;
        try {
            Principal who = server.requestPrincipal(ctx.channel(), () -> Requests.credentials(request, new QueryStringDecoder(request.uri())));
            String pattern = deviceId == null ? DeviceTopics.ALL_DEVICES : DeviceTopics.topicOf(deviceId);
            // Only device data, and of it only what this credential could subscribe to, rows and aggregates alike.
            List<String> readable = server.auth().readableTopics(who, project, pattern);
            Map<String, JsonElement> params = post ? body(request) : queryParameters(request);
            List<String> devices = deviceId != null ? List.of(deviceId)
                    : HistoryRequests.deviceIds(params.containsKey("deviceId[]") ? params.get("deviceId[]") : params.get("deviceId"));
            devices.forEach(DeviceTopics::topicOf);
            query = HistoryRequests.parse(project, readable, params, devices, Instant.now());
        } catch (RuntimeException e) {
            reply(ctx, request, Failure.of(e), Failure.messageOf(e));
            return;
        }
        request.retain();
        server.queries().submit(project, () -> run(ctx, request, query), refusal -> ctx.executor().execute(() -> {
            try {
                server.metrics().historyQueriesRefused.increment();
                FullHttpResponse answer = HttpReplies.response(
                        refusal.limit() ? HttpResponseStatus.TOO_MANY_REQUESTS : HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "application/json", GoliothWire.restError(refusal.limit()
                                ? GoliothWire.RESOURCE_EXHAUSTED : GoliothWire.UNAVAILABLE, refusal.message()));
                answer.headers().setInt(HttpHeaderNames.RETRY_AFTER, refusal.retryAfterSeconds());
                server.metrics().of(Dialect.GOLIOTH).errors.increment();
                HttpReplies.send(ctx, request, answer);
            } finally {
                request.release();
            }
        }));
    }

    /** On a query thread: the database answers, then the event loop writes the reply. */
    private void run(ChannelHandlerContext ctx, FullHttpRequest request, HistoryQuery query) {
        String body;
        Failure failure;
        try {
            body = render(server.broker().query(query));
            failure = null;
        } catch (RuntimeException e) {
            body = Failure.messageOf(e);
            failure = Failure.of(e);
        }
        String answer = body;
        Failure error = failure;
        ctx.executor().execute(() -> {
            try {
                if (error == null) {
                    HttpReplies.json(ctx, request, HttpResponseStatus.OK, answer);
                } else {
                    reply(ctx, request, error, answer);
                }
            } finally {
                request.release();
            }
        });
    }

    private static Map<String, JsonElement> body(FullHttpRequest request) {
        String text = Requests.body(request);
        if (text.isBlank()) {
            return Map.of();
        }
        try {
            return Json.parseObject(text).asMap();
        } catch (JsonParseException e) {
            throw new HistoryRequests.BadQuery("the body is a JSON object");
        }
    }

    private static Map<String, JsonElement> queryParameters(FullHttpRequest request) {
        Map<String, JsonElement> params = new HashMap<>();
        new QueryStringDecoder(request.uri()).parameters().forEach((name, values) -> {
            if (name.equals("x-api-key") || name.equals("jwt")) {
                return;
            }
            if (name.endsWith("[]")) {
                JsonArray list = new JsonArray();
                values.forEach(list::add);
                params.put(name, list);
            } else {
                params.put(name.equals("encodedQuery") ? "query" : name, HistoryRequests.parameter(name, values.get(0)));
            }
        });
        return params;
    }

    private static String render(HistoryQuery.Result result) {
        StringBuilder out = new StringBuilder(256 + result.rows().size() * 96).append("{\"list\":[");
        for (int i = 0; i < result.rows().size(); i++) {
            out.append(i == 0 ? "{" : ",{");
            boolean first = true;
            for (Map.Entry<String, Object> e : result.rows().get(i).entrySet()) {
                Json.quote(out.append(first ? "" : ","), e.getKey()).append(':');
                value(out, e.getValue());
                first = false;
            }
            out.append('}');
        }
        return out.append("],\"page\":").append(result.page()).append(",\"perPage\":").append(result.perPage())
                .append(",\"total\":").append(result.total()).append('}').toString();
    }

    private static void value(StringBuilder out, Object v) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof BigDecimal n) {
            out.append(n.stripTrailingZeros().toPlainString());
        } else if (v instanceof Boolean b) {
            out.append(b);
        } else if (v instanceof HistoryQuery.Json json) {
            out.append(json.text());
        } else {
            Json.quote(out, v.toString());
        }
    }

    /** Golioth's REST error: the failure's gRPC code in the body, its own HTTP status (504 for a deadline). */
    private void reply(ChannelHandlerContext ctx, FullHttpRequest request, Failure failure, String message) {
        server.metrics().of(Dialect.GOLIOTH).errors.increment();
        HttpReplies.json(ctx, request, HttpResponseStatus.valueOf(failure.httpStatus()),
                GoliothWire.restError(GoliothWire.codeOf(failure), message));
    }

}
