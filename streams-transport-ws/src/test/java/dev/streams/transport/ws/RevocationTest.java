package dev.streams.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.streams.auth.ApiKeyStore;
import dev.streams.auth.Credentials;
import dev.streams.auth.NewApiKey;
import dev.streams.auth.Scope;
import dev.streams.auth.StreamsAuth;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revoking an API key ends, within a second, every open session that stands on it: sessions opened with the
 * key, with a Golioth JWT signed with it, or with a token issued under it, in every dialect; sessions of other
 * keys go on receiving.
 */
class RevocationTest extends ServerFixture {
    private final NewApiKey doomed = auth.createKey("alpha", "doomed", EnumSet.allOf(Scope.class));

    private void revoke() {
        assertThat(auth.revokeKey("alpha", doomed.metadata().id())).isTrue();
    }

    private String tokenUnderDoomedKey() {
        return auth.issueToken(auth.authenticate(Credentials.apiKey(doomed.key())), "alpha", List.of(">"),
                Duration.ofMinutes(5), Set.of(Scope.SUBSCRIBE));
    }

    private static void awaitClosedWithin(TestClient client, Duration within) throws InterruptedException {
        assertThat(client.closed.await(within.toMillis(), TimeUnit.MILLISECONDS))
                .as("closed within " + within.toMillis() + " ms of the revocation").isTrue();
    }

    @Test
    void aNativeSessionEndsWithinASecondAndAnotherKeysSessionKeepsReceiving() throws Exception {
        start();
        TestClient revoked = connect("/v1/ws/native?x-api-key=" + doomed.key());
        TestClient other = connect("/v1/ws/native?x-api-key=" + alphaKey.key());
        for (TestClient client : List.of(revoked, other)) {
            assertThat(client.nextJson().get("type").getAsString()).isEqualTo("welcome");
            client.send("{\"type\":\"subscribe\",\"id\":\"1\",\"topic\":\"news\"}");
            assertThat(client.nextJson().get("type").getAsString()).isEqualTo("ack");
        }

        revoke();
        awaitClosedWithin(revoked, Duration.ofSeconds(1));
        JsonObject error = revoked.nextJson();
        assertThat(error.get("type").getAsString()).isEqualTo("error");
        assertThat(error.get("code").getAsString()).isEqualTo("REVOKED");
        assertThat(revoked.closeCode).isEqualTo(4401);

        broker.publish("alpha", "news", "still here".getBytes(StandardCharsets.UTF_8));
        assertThat(other.nextJson().get("type").getAsString()).isEqualTo("event");
        assertThat(other.closed.getCount()).isEqualTo(1);
        assertThat(get("/metrics").body()).contains("streams_revoked_sessions_total 1");
        // And the key opens nothing new.
        TestClient again = connect("/v1/ws/native?x-api-key=" + doomed.key());
        assertThat(again.nextJson().get("code").getAsString()).isEqualTo("UNAUTHENTICATED");
    }

    /**
     * The sweep finds sessions through their connections' last handler; a session that negotiated compression has
     * the extension's handlers in its pipeline too, and must be found all the same.
     */
    @Test
    void aSessionThatNegotiatedCompressionEndsToo() throws Exception {
        start();
        try (RawSocket compressed = new RawSocket(server.port(), "/v1/ws/native?x-api-key=" + doomed.key(),
                "Sec-WebSocket-Extensions: permessage-deflate\r\n", 64 * 1024)) {
            assertThat(compressed.responseHead).startsWith("HTTP/1.1 101")
                    .containsIgnoringCase("permessage-deflate");
            // Short frames go uncompressed, so the session's frames can be read as text here.
            assertThat(nextText(compressed)).contains("welcome");
            revoke();
            assertThat(nextText(compressed)).as("told why").contains("REVOKED");
            assertThat(compressed.readCloseCode()).isEqualTo(4401);
            assertThat(compressed.isClosedByServer()).isTrue();
        }
        assertThat(get("/metrics").body()).contains("streams_revoked_sessions_total 1");
    }

    /** The payload of the next frame, which must be a text frame. */
    private static String nextText(RawSocket socket) throws java.io.IOException {
        java.io.ByteArrayOutputStream payload = new java.io.ByteArrayOutputStream();
        assertThat(socket.readFrameHeader(payload)).as("a frame").isNotNull().startsWith(1);
        return payload.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aTokenIssuedUnderTheKeyEndsTooAndIsRefusedAfterwards() throws Exception {
        start();
        String token = tokenUnderDoomedKey();
        TestClient client = connect("/v1/ws/native?jwt=" + token);
        assertThat(client.nextJson().get("type").getAsString()).isEqualTo("welcome");

        revoke();
        awaitClosedWithin(client, Duration.ofSeconds(5));
        assertThat(client.nextJson().get("code").getAsString()).isEqualTo("REVOKED");
        assertThat(client.closeCode).isEqualTo(4401);
        TestClient later = connect("/v1/ws/native?jwt=" + token);
        assertThat(later.nextJson().get("message").getAsString()).contains("revoked");
    }

    @Test
    void anM3oStreamEndsWithInvalidToken() throws Exception {
        start();
        HttpResponse<String> issued = post("/v1/streams/Token", doomed.key(), "{\"topic\":\"events\"}");
        String token = JsonParser.parseString(issued.body()).getAsJsonObject().get("token").getAsString();
        TestClient client = connect("/v1/streams/Subscribe");
        client.send("{\"topic\":\"events\",\"token\":\"" + token + "\"}");
        awaitSubscriptions("alpha", 1);

        revoke();
        awaitClosedWithin(client, Duration.ofSeconds(5));
        JsonObject error = client.nextJson();
        assertThat(error.get("id").getAsString()).isEqualTo("INVALID_TOKEN");
        assertThat(error.get("detail").getAsString()).isEqualTo("Token revoked");
        assertThat(client.closeCode).isEqualTo(4403);
        assertThat(post("/v1/streams/Publish", doomed.key(), "{\"topic\":\"events\",\"message\":\"x\"}").statusCode())
                .isEqualTo(401);
    }

    @Test
    void aGoliothStreamOpenedWithAKeyJwtEndsWithUnauthenticated() throws Exception {
        start();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(doomed.metadata().id()).issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(10)))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(doomed.secret().getBytes(StandardCharsets.UTF_8)));
        TestClient client = connect("/v1/ws/projects/alpha/stream?jwt=" + jwt.serialize());
        awaitSubscriptions("alpha", 1);

        revoke();
        awaitClosedWithin(client, Duration.ofSeconds(5));
        assertThat(client.nextJson().getAsJsonObject("error").get("code").getAsInt()).isEqualTo(16);
        assertThat(client.closeCode).isEqualTo(4401);
    }

    @Test
    void anEventStreamEndsWithANamedError() throws Exception {
        start();
        try (SseStream stream = new SseStream(http, http() + "/v1/sse?topic=news&x-api-key=" + doomed.key(), null)) {
            awaitSubscriptions("alpha", 1);
            revoke();
            SseStream.Sse error = stream.next();
            assertThat(error.name()).isEqualTo("error");
            assertThat(error.json().get("code").getAsString()).isEqualTo("REVOKED");
            stream.ended.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRevocationWrittenToTheKeyFileByAnotherProcessEndsSessions(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("api-keys.json");
        StreamsAuth fileAuth = StreamsAuth.builder().masterKey(MASTER).keyStore(ApiKeyStore.file(file)).build();
        NewApiKey key = fileAuth.createKey("alpha", "gateway", EnumSet.allOf(Scope.class));
        server = StreamsServer.builder(broker, fileAuth).port(0).build().start();
        TestClient client = connect("/v1/ws/projects/alpha/stream?x-api-key=" + key.key());
        awaitSubscriptions("alpha", 1);

        // What a command line revoking the key does: its own store over the same file.
        StreamsAuth commandLine = StreamsAuth.builder().masterKey(MASTER).keyStore(ApiKeyStore.file(file)).build();
        assertThat(commandLine.revokeKey("alpha", key.metadata().id())).isTrue();
        awaitClosedWithin(client, Duration.ofSeconds(5));
        assertThat(client.closeCode).isEqualTo(4401);
    }
}
