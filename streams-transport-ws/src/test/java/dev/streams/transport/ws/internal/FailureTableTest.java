package dev.streams.transport.ws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.streams.auth.AuthException;
import dev.streams.auth.AuthFailure;
import dev.streams.core.ErrorKind;
import dev.streams.core.StreamsException;
import dev.streams.transport.ws.internal.golioth.GoliothWire;
import dev.streams.transport.ws.internal.m3o.M3oWire;
import dev.streams.transport.ws.internal.nativeproto.NativeWire;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * The one failure table, row by row, as every dialect renders it: HTTP status, close code, whether to reconnect,
 * the native code, Golioth's gRPC code (REST body and stream frame) and m3o's error id.
 */
class FailureTableTest {
    record Row(Failure failure, int status, boolean reconnect, int goliothCode, String m3oId) {
    }

    private static final List<Row> TABLE = List.of(
            new Row(Failure.BAD_REQUEST, 400, false, 3, "BAD_REQUEST"),
            new Row(Failure.INVALID_TOPIC, 400, false, 3, "BAD_REQUEST"),
            new Row(Failure.UNAUTHENTICATED, 401, false, 16, "UNAUTHORIZED"),
            new Row(Failure.EXPIRED, 401, true, 16, "UNAUTHORIZED"),
            new Row(Failure.REVOKED, 401, false, 16, "UNAUTHORIZED"),
            new Row(Failure.FORBIDDEN, 403, false, 7, "FORBIDDEN"),
            new Row(Failure.NOT_FOUND, 404, false, 5, "NOT_FOUND"),
            new Row(Failure.TIMEOUT, 408, true, 4, "REQUEST_TIMEOUT"),
            new Row(Failure.PAYLOAD_TOO_LARGE, 413, false, 8, "REQUEST_TOO_LARGE"),
            new Row(Failure.TOO_MANY_SUBSCRIPTIONS, 429, false, 8, "TOO_MANY_REQUESTS"),
            new Row(Failure.LIMIT_EXCEEDED, 429, true, 8, "TOO_MANY_REQUESTS"),
            new Row(Failure.SLOW_CONSUMER, 429, true, 8, "TOO_MANY_REQUESTS"),
            new Row(Failure.UNAVAILABLE, 503, true, 14, "UNAVAILABLE"),
            new Row(Failure.DEADLINE_EXCEEDED, 504, true, 4, "GATEWAY_TIMEOUT"),
            new Row(Failure.INTERNAL, 500, true, 13, "INTERNAL_SERVER_ERROR"));

    @Test
    void everyFailureHasOneRowAndEveryDialectRendersIt() {
        Set<Failure> covered = EnumSet.noneOf(Failure.class);
        for (Row row : TABLE) {
            Failure f = row.failure();
            covered.add(f);
            assertThat(f.httpStatus()).as(f + " status").isEqualTo(row.status());
            assertThat(f.closeCode()).as(f + " close code").isEqualTo(4000 + row.status());
            assertThat(f.reconnect()).as(f + " reconnect").isEqualTo(row.reconnect());

            JsonObject nativeError = JsonParser.parseString(NativeWire.error("7", f, "why")).getAsJsonObject();
            assertThat(nativeError.get("type").getAsString()).isEqualTo("error");
            assertThat(nativeError.get("code").getAsString()).isEqualTo(f.name());
            assertThat(nativeError.get("id").getAsString()).isEqualTo("7");

            assertThat(GoliothWire.codeOf(f)).as(f + " gRPC code").isEqualTo(row.goliothCode());
            JsonObject rest = JsonParser.parseString(GoliothWire.restError(GoliothWire.codeOf(f), "why")).getAsJsonObject();
            assertThat(rest.get("code").getAsInt()).isEqualTo(row.goliothCode());
            assertThat(rest.getAsJsonArray("details")).isEmpty();
            JsonObject stream = JsonParser.parseString(GoliothWire.streamError(GoliothWire.codeOf(f), "why"))
                    .getAsJsonObject().getAsJsonObject("error");
            assertThat(stream.get("code").getAsInt()).isEqualTo(row.goliothCode());

            JsonObject m3o = JsonParser.parseString(M3oWire.errorBody(f.httpStatus(), "why")).getAsJsonObject();
            assertThat(m3o.get("id").getAsString()).as(f + " m3o id").isEqualTo(row.m3oId());
            assertThat(m3o.get("code").getAsInt()).isEqualTo(row.status());
            assertThat(m3o.get("detail").getAsString()).isEqualTo("why");
        }
        assertThat(covered).isEqualTo(EnumSet.allOf(Failure.class));
    }

    @Test
    void exceptionsAndStatusesMapInOnePlace() {
        assertThat(Failure.of(new AuthException(AuthFailure.EXPIRED, "x"))).isEqualTo(Failure.EXPIRED);
        assertThat(Failure.of(new AuthException(AuthFailure.FORBIDDEN_TOPIC, "x"))).isEqualTo(Failure.FORBIDDEN);
        assertThat(Failure.of(new AuthException(AuthFailure.REVOKED_KEY, "x"))).isEqualTo(Failure.UNAUTHENTICATED);
        assertThat(Failure.of(new StreamsException(ErrorKind.CLOSED, "x"))).isEqualTo(Failure.UNAVAILABLE);
        assertThat(Failure.of(new CompletionException(new StreamsException(ErrorKind.LIMIT_EXCEEDED, "x"))))
                .isEqualTo(Failure.LIMIT_EXCEEDED);
        assertThat(Failure.of(new JsonParseException("x"))).isEqualTo(Failure.BAD_REQUEST);
        assertThat(Failure.of(new BadInput("x"))).isEqualTo(Failure.BAD_REQUEST);
        RuntimeException bug = new NullPointerException("secret internals");
        assertThat(Failure.of(bug)).isEqualTo(Failure.INTERNAL);
        assertThat(Failure.messageOf(bug)).doesNotContain("secret");
        for (Failure f : Failure.values()) {
            assertThat(Failure.ofHttpStatus(f.httpStatus()).httpStatus()).as(f.name()).isEqualTo(f.httpStatus());
        }
    }

    /** The transport's failures are exactly the protocol's server codes, under their own names. */
    @Test
    void everyServerCodeOfTheProtocolIsOneFailure() {
        java.util.Set<dev.streams.protocol.ErrorCode> sent = java.util.EnumSet.noneOf(dev.streams.protocol.ErrorCode.class);
        for (Failure f : Failure.values()) {
            assertThat(f.code().name()).isEqualTo(f.name());
            assertThat(sent.add(f.code())).as(f.name()).isTrue();
        }
        assertThat(sent).containsExactlyInAnyOrderElementsOf(java.util.Arrays.stream(dev.streams.protocol.ErrorCode.values())
                .filter(dev.streams.protocol.ErrorCode::sentByServer).toList());
    }
}
