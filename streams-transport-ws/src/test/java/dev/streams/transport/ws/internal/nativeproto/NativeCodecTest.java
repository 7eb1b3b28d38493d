package dev.streams.transport.ws.internal.nativeproto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streams.auth.AuthException;
import dev.streams.auth.AuthFailure;
import dev.streams.auth.Credentials;
import dev.streams.auth.Principal;
import dev.streams.auth.Scope;
import dev.streams.auth.StreamsAuth;
import dev.streams.core.Broker;
import dev.streams.transport.ws.internal.Failure;
import dev.streams.transport.ws.internal.HeadCredential;
import dev.streams.transport.ws.internal.RecordingSessionControl;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The native codec alone, over a real broker and auth but no channel: requests in, replies and limits out. */
class NativeCodecTest {
    private static final Principal WRITER = new Principal(Principal.Kind.STREAMS_TOKEN, "t1", "acme",
            Set.of(Scope.SUBSCRIBE, Scope.PUBLISH), List.of(">"), null);

    private final Broker broker = Broker.create();
    private final StreamsAuth auth = StreamsAuth.builder().masterKey(new byte[32]).build();
    private final RecordingSessionControl session = new RecordingSessionControl(false, NativeCodecTest::authenticate);
    private int limitRejections;

    @AfterEach
    void close() {
        broker.close();
    }

    private static Principal authenticate(Credentials credentials) {
        if ("Bearer good".equals(credentials.authorization())) {
            return WRITER;
        }
        throw new AuthException(AuthFailure.BAD_SIGNATURE, "bad signature");
    }

    private NativeCodec open(String bearer, int maxSubscriptions) {
        NativeCodec codec = new NativeCodec(session,
                new HeadCredential(Credentials.bearer(bearer), NativeCodecTest::authenticate),
                new NativeCodec.Services(broker, auth, maxSubscriptions,
                        () -> limitRejections++));
        codec.opened();
        return codec;
    }

    @Test
    void welcomesThenPublishesAndAcknowledgesWithTheStoredCursor() {
        NativeCodec codec = open("good", 10);
        assertThat(session.sent).containsExactly("{\"type\":\"welcome\",\"project\":\"acme\"}");
        codec.text("{\"type\":\"publish\",\"id\":\"p1\",\"topic\":\"chat\",\"text\":\"hi\"}");
        assertThat(session.sent).last().asString()
                .matches("\\{\"type\":\"ack\",\"id\":\"p1\",\"cursor\":\"[0-9a-z]+-[0-9]+\"}");
        assertThat(session.published).isEqualTo(1);
    }

    @Test
    void aBadRequestIsAnsweredAndTheSessionStays() {
        NativeCodec codec = open("good", 10);
        codec.text("{\"type\":\"dance\",\"id\":\"d1\"}");
        codec.text("[1,2]");
        assertThat(session.sent).containsSubsequence(
                NativeWire.error("d1", Failure.BAD_REQUEST, "unknown request type"));
        assertThat(session.sent.get(2)).contains("\"code\":\"BAD_REQUEST\"");
        assertThat(session.end).isNull();
    }

    @Test
    void subscriptionsPastTheLimitAreRefusedAndCounted() {
        NativeCodec codec = open("good", 1);
        codec.text("{\"type\":\"subscribe\",\"id\":\"s1\",\"topic\":\"chat\"}");
        codec.text("{\"type\":\"subscribe\",\"id\":\"s2\",\"topic\":\"news\"}");
        assertThat(session.subscribes).singleElement().satisfies(s -> assertThat(s.pattern()).isEqualTo("chat"));
        assertThat(session.sent).last().isEqualTo(NativeWire.error("s2", Failure.TOO_MANY_SUBSCRIPTIONS,
                "at most 1 subscriptions per connection"));
        assertThat(limitRejections).isEqualTo(1);
    }

    @Test
    void aRefusedHandshakeEndsWithTheNativeErrorAndItsCloseCode() {
        open("forged", 10);
        assertThat(session.end.code()).isEqualTo(Failure.UNAUTHENTICATED.closeCode());
        assertThat(session.end.lastFrame()).isEqualTo(NativeWire.error(null, Failure.UNAUTHENTICATED, "bad signature"));
        assertThat(session.sent).isEmpty();
    }
}
