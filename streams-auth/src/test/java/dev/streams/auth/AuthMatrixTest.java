package dev.streams.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.streams.auth.TokenIssuer;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every way in: the allowed cases allowed, and each attempt to overreach refused with its reason. */
class AuthMatrixTest extends AuthFixture {
    private final StreamsAuth auth = StreamsAuth.builder().masterKey(MASTER).clock(clock).build();
    private final NewApiKey full = auth.createKey("alpha", "full", EnumSet.allOf(Scope.class));
    private final NewApiKey readOnly = auth.createKey("alpha", "reader", EnumSet.of(Scope.SUBSCRIBE));
    private final NewApiKey beta = auth.createKey("beta", "other tenant", EnumSet.allOf(Scope.class));

    @Test
    void apiKeyIsAcceptedFromEveryPlaceAClientPutsIt() {
        for (Credentials c : List.of(Credentials.bearer(full.key()), Credentials.apiKey(full.key()),
                new Credentials(null, null, full.key(), null), new Credentials("bearer  " + full.key(), null, null, null))) {
            Principal who = auth.authenticate(c);
            assertThat(who.kind()).isEqualTo(Principal.Kind.API_KEY);
            assertThat(who.project()).isEqualTo("alpha");
            assertThat(who.subject()).isEqualTo(full.metadata().id());
            assertThat(who.expiresAt()).isNull();
        }
        Principal who = auth.authenticate(Credentials.apiKey(full.key()));
        auth.checkPublish(who, "alpha", "events");
        auth.checkSubscribe(who, "alpha", "devices.*.stream");
        auth.checkIngest(who, "alpha", "61a4cfdfb2b45578105aeca5");
    }

    @Test
    void missingWrongOrGarbledKeysAreUnauthenticated() {
        assertRefused(() -> auth.authenticate(Credentials.none()), AuthFailure.MISSING_CREDENTIAL);
        assertRefused(() -> auth.authenticate(Credentials.bearer("   ")), AuthFailure.MISSING_CREDENTIAL);
        String wrongSecret = full.key().substring(0, full.key().length() - 2) + "xx";
        assertRefused(() -> auth.authenticate(Credentials.apiKey(wrongSecret)), AuthFailure.UNKNOWN_KEY);
        assertRefused(() -> auth.authenticate(Credentials.apiKey("stk_0000000000000000_nope")), AuthFailure.UNKNOWN_KEY);
        assertRefused(() -> auth.authenticate(Credentials.apiKey("hello")), AuthFailure.UNKNOWN_KEY);
        assertRefused(() -> auth.authenticate(Credentials.apiKey("a.b.c")), AuthFailure.MALFORMED_CREDENTIAL);
        assertRefused(() -> auth.authenticate(Credentials.apiKey("x".repeat(10_000))), AuthFailure.MALFORMED_CREDENTIAL);
        assertThat(AuthFailure.UNKNOWN_KEY.isUnauthenticated()).isTrue();
        assertThat(AuthFailure.FORBIDDEN_TOPIC.isUnauthenticated()).isFalse();
    }

    @Test
    void anotherProjectsKeyNeverReachesThisProject() {
        Principal other = auth.authenticate(Credentials.apiKey(beta.key()));
        assertRefused(() -> auth.checkSubscribe(other, "alpha", ">"), AuthFailure.FORBIDDEN_PROJECT);
        assertRefused(() -> auth.checkPublish(other, "alpha", "events"), AuthFailure.FORBIDDEN_PROJECT);
        assertRefused(() -> auth.checkIngest(other, "alpha", "dev1"), AuthFailure.FORBIDDEN_PROJECT);
        assertRefused(() -> auth.issueToken(other, "alpha", List.of(">"), Duration.ofMinutes(1), Set.of()),
                AuthFailure.FORBIDDEN_PROJECT);
    }

    @Test
    void scopesLimitWhatAKeyMayDo() {
        Principal reader = auth.authenticate(Credentials.apiKey(readOnly.key()));
        auth.checkSubscribe(reader, "alpha", "events");
        assertRefused(() -> auth.checkPublish(reader, "alpha", "events"), AuthFailure.MISSING_SCOPE);
        assertRefused(() -> auth.checkIngest(reader, "alpha", "dev1"), AuthFailure.MISSING_SCOPE);
        assertRefused(() -> auth.issueToken(reader, "alpha", List.of("events"), Duration.ofMinutes(1), Set.of()),
                AuthFailure.MISSING_SCOPE);
        NewApiKey publisher = auth.createKey("alpha", "pub", EnumSet.of(Scope.PUBLISH));
        Principal pub = auth.authenticate(Credentials.apiKey(publisher.key()));
        auth.checkPublish(pub, "alpha", "events");
        assertRefused(() -> auth.checkPublish(pub, "alpha", "devices.d1.stream"), AuthFailure.MISSING_SCOPE);
    }

    @Test
    void revokedKeyStopsAtOnceAndListingShowsNoSecret() {
        NewApiKey doomed = auth.createKey("alpha", "doomed", EnumSet.of(Scope.SUBSCRIBE));
        auth.authenticate(Credentials.apiKey(doomed.key()));
        assertThat(auth.revokeKey("beta", doomed.metadata().id())).as("only its own project may revoke").isFalse();
        assertThat(auth.revokeKey("alpha", doomed.metadata().id())).isTrue();
        assertRefused(() -> auth.authenticate(Credentials.apiKey(doomed.key())), AuthFailure.REVOKED_KEY);
        assertThat(auth.revokeKey("alpha", doomed.metadata().id())).isFalse();
        assertThat(auth.listKeys("alpha")).extracting(ApiKey::name).containsExactlyInAnyOrder("full", "reader", "doomed");
        assertThat(auth.listKeys("alpha").toString()).doesNotContain(doomed.secret());
        assertThat(doomed.toString()).doesNotContain(doomed.secret());
    }

    @Test
    void goliothJwtSignedWithTheKeySecretIsAccepted() throws Exception {
        String jwt = hs256(full.secret(), claims(full.metadata().id(), Duration.ofMinutes(5)).build());
        Principal who = auth.authenticate(new Credentials(null, null, null, jwt));
        assertThat(who.kind()).isEqualTo(Principal.Kind.KEY_JWT);
        assertThat(who.project()).isEqualTo("alpha");
        assertThat(who.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
        assertThat(auth.authenticate(new Credentials(jwt, null, null, null)).project()).as("bare JWT in Authorization").isEqualTo("alpha");
    }

    @Test
    void historyReadsWhatEachKindOfCredentialMaySubscribeTo() throws Exception {
        String devices = "devices.*.stream";
        Principal key = auth.authenticate(Credentials.apiKey(full.key()));
        assertThat(auth.readableTopics(key, "alpha", devices)).containsExactly(devices);
        Principal keyJwt = auth.authenticate(Credentials.bearer(hs256(full.secret(),
                claims(full.metadata().id(), Duration.ofMinutes(5)).build())));
        assertThat(keyJwt.kind()).isEqualTo(Principal.Kind.KEY_JWT);
        assertThat(auth.readableTopics(keyJwt, "alpha", devices)).containsExactly(devices);
        Principal twoDevices = auth.authenticate(Credentials.bearer(auth.issueToken(key, "alpha",
                List.of("devices.d1.stream", "devices.d2.>", "chat.>"), Duration.ofMinutes(1), Set.of(Scope.SUBSCRIBE))));
        assertThat(auth.readableTopics(twoDevices, "alpha", devices))
                .containsExactly("devices.d1.stream", "devices.d2.stream");
        assertThat(auth.readableTopics(twoDevices, "alpha", "devices.d2.stream")).containsExactly("devices.d2.stream");
        assertRefused(() -> auth.readableTopics(twoDevices, "alpha", "devices.d3.stream"), AuthFailure.FORBIDDEN_TOPIC);
        Principal chatOnly = auth.authenticate(Credentials.bearer(auth.issueToken(key, "alpha", List.of("chat.>"),
                Duration.ofMinutes(1), Set.of(Scope.SUBSCRIBE))));
        assertRefused(() -> auth.readableTopics(chatOnly, "alpha", devices), AuthFailure.FORBIDDEN_TOPIC);
        Principal publisher = auth.authenticate(Credentials.bearer(auth.issueToken(key, "alpha", List.of(">"),
                Duration.ofMinutes(1), Set.of(Scope.PUBLISH))));
        assertRefused(() -> auth.readableTopics(publisher, "alpha", devices), AuthFailure.MISSING_SCOPE);
        Principal other = auth.authenticate(Credentials.apiKey(beta.key()));
        assertRefused(() -> auth.readableTopics(other, "alpha", devices), AuthFailure.FORBIDDEN_PROJECT);
    }

    @Test
    void goliothJwtRefusals() throws Exception {
        String id = full.metadata().id();
        String expired = hs256(full.secret(), claims(id, Duration.ofMinutes(-1)).build());
        assertRefused(() -> auth.authenticate(Credentials.bearer(expired)), AuthFailure.EXPIRED);
        String early = hs256(full.secret(), claims(id, Duration.ofMinutes(5))
                .notBeforeTime(Date.from(clock.instant().plusSeconds(60))).build());
        assertRefused(() -> auth.authenticate(Credentials.bearer(early)), AuthFailure.NOT_YET_VALID);
        String noExp = hs256(full.secret(), new JWTClaimsSet.Builder().issuer(id).build());
        assertRefused(() -> auth.authenticate(Credentials.bearer(noExp)), AuthFailure.MALFORMED_CREDENTIAL);
        String otherSecret = hs256(readOnly.secret(), claims(id, Duration.ofMinutes(5)).build());
        assertRefused(() -> auth.authenticate(Credentials.bearer(otherSecret)), AuthFailure.BAD_SIGNATURE);
        String unknown = hs256(full.secret(), claims("ffffffffffffffff", Duration.ofMinutes(5)).build());
        assertRefused(() -> auth.authenticate(Credentials.bearer(unknown)), AuthFailure.UNKNOWN_KEY);

        String good = hs256(full.secret(), claims(id, Duration.ofMinutes(5)).build());
        String[] parts = good.split("\\.");
        String widened = Base64URL.encode(claims(id, Duration.ofDays(365)).build().toString().getBytes(UTF_8)).toString();
        assertRefused(() -> auth.authenticate(Credentials.bearer(parts[0] + "." + widened + "." + parts[2])),
                AuthFailure.BAD_SIGNATURE);

        String none = Base64URL.encode("{\"alg\":\"none\"}".getBytes(UTF_8)) + "." + parts[1] + ".";
        assertRefused(() -> auth.authenticate(Credentials.bearer(none)), AuthFailure.ALGORITHM_NOT_ALLOWED);

        // HS/RS confusion: an RS256 token naming the API key as issuer is refused whatever its signature.
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        String rs = sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, null, claims(id, Duration.ofMinutes(5)).build());
        assertRefused(() -> auth.authenticate(Credentials.bearer(rs)), AuthFailure.ALGORITHM_NOT_ALLOWED);

        NewApiKey doomed = auth.createKey("alpha", "doomed", EnumSet.of(Scope.SUBSCRIBE));
        String signedByDoomed = hs256(doomed.secret(), claims(doomed.metadata().id(), Duration.ofMinutes(5)).build());
        auth.revokeKey("alpha", doomed.metadata().id());
        assertRefused(() -> auth.authenticate(Credentials.bearer(signedByDoomed)), AuthFailure.REVOKED_KEY);
    }

    @Test
    void keysMadeUnderAnotherMasterKeyCannotSignJwtsHere() throws Exception {
        ApiKeyStore shared = ApiKeyStore.inMemory();
        StreamsAuth first = StreamsAuth.builder().masterKey(MASTER).keyStore(shared).clock(clock).build();
        NewApiKey key = first.createKey("alpha", "k", EnumSet.of(Scope.SUBSCRIBE));
        StreamsAuth rekeyed = StreamsAuth.builder().masterKey("another-master-key-0123456789abcdef!".getBytes(UTF_8))
                .keyStore(shared).clock(clock).build();
        String jwt = hs256(key.secret(), claims(key.metadata().id(), Duration.ofMinutes(5)).build());
        assertRefused(() -> rekeyed.authenticate(Credentials.bearer(jwt)), AuthFailure.UNKNOWN_KEY);
        assertThat(rekeyed.authenticate(Credentials.apiKey(key.key())).project()).isEqualTo("alpha");
    }

    @Test
    void streamsTokenIsLimitedToItsTopicsAndToSubscribing() {
        Principal issuer = auth.authenticate(Credentials.apiKey(full.key()));
        String token = auth.issueToken(issuer, "alpha", List.of("topic-a"), Duration.ofMinutes(1), Set.of());
        Principal browser = auth.authenticate(new Credentials(null, null, null, token));
        assertThat(browser.kind()).isEqualTo(Principal.Kind.STREAMS_TOKEN);
        assertThat(browser.scopes()).containsExactly(Scope.SUBSCRIBE);
        assertThat(browser.subject()).isEqualTo(full.metadata().id());
        auth.checkSubscribe(browser, "alpha", "topic-a");
        assertRefused(() -> auth.checkSubscribe(browser, "alpha", "topic-b"), AuthFailure.FORBIDDEN_TOPIC);
        assertRefused(() -> auth.checkSubscribe(browser, "alpha", ">"), AuthFailure.FORBIDDEN_TOPIC);
        assertRefused(() -> auth.checkSubscribe(browser, "beta", "topic-a"), AuthFailure.FORBIDDEN_PROJECT);
        assertRefused(() -> auth.checkPublish(browser, "alpha", "topic-a"), AuthFailure.MISSING_SCOPE);
        assertRefused(() -> auth.issueToken(browser, "alpha", List.of("topic-a"), Duration.ofSeconds(10), Set.of()),
                AuthFailure.MISSING_SCOPE);
        clock.advance(Duration.ofMinutes(2));
        assertRefused(() -> auth.authenticate(Credentials.bearer(token)), AuthFailure.EXPIRED);
    }

    @Test
    void aTokenNeverGrantsMoreThanItsIssuer() throws Exception {
        TokenIssuer issuer = auth.tokenIssuer();
        String narrow = issuer.issue("alpha", List.of("rooms.*"), Duration.ofMinutes(10),
                java.util.Map.of("scopes", List.of("subscribe", "issue_tokens")));
        Principal delegated = auth.authenticate(Credentials.bearer(narrow));
        assertThat(delegated.scopes()).containsExactlyInAnyOrder(Scope.SUBSCRIBE, Scope.ISSUE_TOKENS);
        auth.issueToken(delegated, "alpha", List.of("rooms.lobby"), Duration.ofMinutes(1), Set.of());
        assertRefused(() -> auth.issueToken(delegated, "alpha", List.of("rooms.>"), Duration.ofMinutes(1), Set.of()),
                AuthFailure.EXCEEDS_ISSUER);
        assertRefused(() -> auth.issueToken(delegated, "alpha", List.of("rooms.lobby"), Duration.ofMinutes(1),
                EnumSet.of(Scope.PUBLISH)), AuthFailure.EXCEEDS_ISSUER);
        assertRefused(() -> auth.issueToken(delegated, "alpha", List.of("rooms.lobby"), Duration.ofMinutes(30), Set.of()),
                AuthFailure.EXCEEDS_ISSUER);
        assertRefused(() -> auth.issueToken(delegated, "alpha", List.of("rooms.lobby"), Duration.ofMinutes(1),
                EnumSet.of(Scope.ISSUE_TOKENS)), AuthFailure.EXCEEDS_ISSUER);
    }

    @Test
    void tokensOfAnotherServerAreUnknownAndTamperedOnesBroken() {
        StreamsAuth elsewhere = StreamsAuth.builder().masterKey("a-different-master-key-0123456789ab".getBytes(UTF_8))
                .clock(clock).build();
        NewApiKey theirs = elsewhere.createKey("alpha", "k", EnumSet.allOf(Scope.class));
        String foreign = elsewhere.issueToken(elsewhere.authenticate(Credentials.apiKey(theirs.key())), "alpha",
                List.of(">"), Duration.ofMinutes(1), Set.of());
        assertRefused(() -> auth.authenticate(Credentials.bearer(foreign)), AuthFailure.BAD_SIGNATURE);

        TokenIssuer rotatedAway = TokenIssuer.builder().signingKey("old-kid", new byte[32]).clock(clock).build();
        String unknownKid = rotatedAway.issue("alpha", List.of(">"));
        assertRefused(() -> auth.authenticate(Credentials.bearer(unknownKid)), AuthFailure.UNKNOWN_KEY);
    }

    @Test
    void importedKeysAuthenticateByHashAndMalformedOnesAreRefused() {
        StreamsAuth elsewhere = StreamsAuth.builder().masterKey("some-other-servers-master-key-01234567".getBytes(UTF_8)).build();
        String made = elsewhere.createKey("alpha", "k", EnumSet.of(Scope.PUBLISH)).key();
        ApiKey imported = auth.importKey("alpha", "imported", EnumSet.of(Scope.PUBLISH), made);
        assertThat(auth.authenticate(Credentials.apiKey(made)).subject()).isEqualTo(imported.id());
        assertThat(imported.toString()).doesNotContain(made.substring(21));
        for (String bad : new String[] {null, "demo-key", "stk_XYZ_abc", "stk_0123456789abcdef_short"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> auth.importKey("alpha", "x", EnumSet.of(Scope.PUBLISH), bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
