package dev.streams.transport.ws.internal.m3o;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.auth.AuthException;
import dev.streams.auth.AuthFailure;
import dev.streams.auth.Credentials;
import dev.streams.auth.Principal;
import dev.streams.auth.Scope;
import dev.streams.core.Position;
import dev.streams.core.StartPosition;
import dev.streams.transport.ws.internal.HeadCredential;
import dev.streams.transport.ws.internal.RecordingSessionControl;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** m3o's Subscribe codec alone, without a channel: what it makes of the first frame and of silence. */
class M3oCodecTest {
    private static final Principal READER = new Principal(Principal.Kind.STREAMS_TOKEN, "t1", "acme",
            Set.of(Scope.SUBSCRIBE), List.of("chat"), null);

    private final RecordingSessionControl session = new RecordingSessionControl(false, M3oCodecTest::authenticate);
    private int timeouts;

    private static Principal authenticate(Credentials credentials) {
        if ("Bearer good".equals(credentials.authorization())) {
            return READER;
        }
        throw new AuthException(AuthFailure.BAD_SIGNATURE, "bad signature");
    }

    private M3oCodec codec(Credentials handshake, String uri) {
        M3oCodec codec = new M3oCodec(session, new HeadCredential(handshake, M3oCodecTest::authenticate),
                new QueryStringDecoder(uri), Duration.ofSeconds(10), () -> timeouts++);
        codec.opened();
        return codec;
    }

    private static M3oCodec codecOn(RecordingSessionControl control) {
        M3oCodec codec = new M3oCodec(control, new HeadCredential(Credentials.none(), M3oCodecTest::authenticate),
                new QueryStringDecoder("/"), Duration.ofSeconds(10), () -> { });
        codec.opened();
        return codec;
    }

    @Test
    void theRequestsTokenSubscribesItsProjectFromTheCursorItGives() {
        codec(Credentials.none(), "/v1/streams/subscribe").text("{\"topic\":\"chat\",\"token\":\"good\",\"after\":\"7-41\"}");
        assertThat(session.subscribes).singleElement().satisfies(s -> {
            assertThat(s.who()).isSameAs(READER);
            assertThat(s.project()).isEqualTo("acme");
            assertThat(s.pattern()).isEqualTo("chat");
            assertThat(s.start()).isEqualTo(StartPosition.after(Position.fromCursor("7-41")));
            assertThat(s.encoding()).isSameAs(M3oWire.MESSAGE);
        });
        assertThat(session.end).isNull();
        session.runTimers();
        assertThat(session.end).as("the deadline passed after the request came").isNull();
        assertThat(timeouts).isZero();
    }

    @Test
    void theHandshakesCredentialServesWhenTheRequestHasNoToken() {
        codec(Credentials.bearer("good"), "/v1/streams/subscribe?after=1-2").text("{\"topic\":\"chat\"}");
        assertThat(session.subscribes).singleElement()
                .satisfies(s -> assertThat(s.start()).isEqualTo(StartPosition.after(Position.fromCursor("1-2"))));
    }

    @Test
    void eachRefusalIsGoMicrosErrorAndCloseCode() {
        codec(Credentials.none(), "/").text("not json");
        assertThat(session.end).isEqualTo(new RecordingSessionControl.End(M3oWire.Error.BAD_REQUEST.body(), 4400, "BAD_REQUEST"));

        RecordingSessionControl noToken = new RecordingSessionControl(false, M3oCodecTest::authenticate);
        codecOn(noToken).text("{\"topic\":\"chat\"}");
        assertThat(noToken.end.code()).isEqualTo(4400);
        assertThat(noToken.end.lastFrame()).contains("\"id\":\"MISSING_TOKEN\"");

        RecordingSessionControl badToken = new RecordingSessionControl(false, M3oCodecTest::authenticate);
        codecOn(badToken).text("{\"topic\":\"chat\",\"token\":\"forged\"}");
        assertThat(badToken.end.code()).isEqualTo(4403);
        assertThat(badToken.end.lastFrame()).contains("\"id\":\"INVALID_TOKEN\"");
        assertThat(badToken.subscribes).isEmpty();
    }

    @Test
    void silenceUntilTheDeadlineEndsTheStreamAndIsCounted() {
        codec(Credentials.none(), "/");
        session.runTimers();
        assertThat(timeouts).isEqualTo(1);
        assertThat(session.end.code()).isEqualTo(4408);
        assertThat(session.end.lastFrame()).contains("no SubscribeRequest within 10000 ms");
    }
}
