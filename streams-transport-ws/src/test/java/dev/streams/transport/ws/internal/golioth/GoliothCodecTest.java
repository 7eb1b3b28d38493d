package dev.streams.transport.ws.internal.golioth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.auth.AuthException;
import dev.streams.auth.AuthFailure;
import dev.streams.auth.Credentials;
import dev.streams.devices.DeviceTopics;
import dev.streams.auth.Principal;
import dev.streams.auth.Scope;
import dev.streams.core.Gap;
import dev.streams.transport.ws.internal.DialectApi;
import dev.streams.transport.ws.internal.HeadCredential;
import dev.streams.transport.ws.internal.RecordingSessionControl;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Golioth's stream codec alone, without a channel: its subscription, its refusals and its opt-in gaps. */
class GoliothCodecTest {
    private static final Principal KEY = new Principal(Principal.Kind.API_KEY, "k1", "farm",
            Set.of(Scope.SUBSCRIBE), List.of(">"), null);

    private static Principal authenticate(Credentials credentials) {
        if ("good".equals(credentials.apiKeyHeader())) {
            return KEY;
        }
        throw new AuthException(AuthFailure.UNKNOWN_KEY, "unknown API key");
    }

    private static GoliothCodec open(RecordingSessionControl session, String key, String uri, String device) {
        DialectApi.StreamRequest request = new DialectApi.StreamRequest(new QueryStringDecoder(uri),
                new HeadCredential(new Credentials(null, key, null, null), GoliothCodecTest::authenticate), null);
        GoliothCodec codec = new GoliothCodec(session, request, "farm", device);
        codec.opened();
        return codec;
    }

    @Test
    void aDeviceStreamSubscribesToThatDevicesTopic() {
        RecordingSessionControl session = new RecordingSessionControl(false);
        open(session, "good", "/v1/ws/projects/farm/devices/pump-1/stream", "pump-1");
        assertThat(session.subscribes).singleElement().satisfies(s -> {
            assertThat(s.project()).isEqualTo("farm");
            assertThat(s.pattern()).isEqualTo(DeviceTopics.topicOf("pump-1"));
            assertThat(s.encoding()).isSameAs(GoliothWire.FRAME);
        });
        assertThat(session.end).isNull();
    }

    @Test
    void refusalsAreGoliothStreamErrors() {
        RecordingSessionControl unknownKey = new RecordingSessionControl(false);
        open(unknownKey, "forged", "/", null);
        assertThat(unknownKey.end.code()).isEqualTo(4401);
        assertThat(unknownKey.end.lastFrame()).isEqualTo(GoliothWire.streamError(GoliothWire.UNAUTHENTICATED, "unknown API key"));

        RecordingSessionControl badResume = new RecordingSessionControl(false);
        open(badResume, "good", "/?resume=nocolon", null);
        assertThat(badResume.end.code()).isEqualTo(4400);
        assertThat(badResume.end.lastFrame()).contains("\"code\":" + GoliothWire.INVALID_ARGUMENT);
        assertThat(badResume.subscribes).isEmpty();
    }

    @Test
    void gapsAreSentWhenAskedForOrWhenTheTransportNamesEvents() {
        Gap gap = new Gap(DeviceTopics.topicOf("pump-1"), 3, 5, Gap.Cause.QUEUE_OVERFLOW);
        RecordingSessionControl plain = new RecordingSessionControl(false);
        open(plain, "good", "/", null).gap(gap);
        assertThat(plain.gaps).isEmpty();

        RecordingSessionControl asked = new RecordingSessionControl(false);
        open(asked, "good", "/?gaps=true", null).gap(gap);
        assertThat(asked.gaps).containsExactly(GoliothWire.gap(gap));

        RecordingSessionControl sse = new RecordingSessionControl(true);
        open(sse, "good", "/", null).gap(gap);
        assertThat(sse.gaps).containsExactly(GoliothWire.gap(gap));
    }
}
