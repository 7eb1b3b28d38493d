package dev.streams.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileApiKeyStoreTest extends AuthFixture {
    @TempDir
    Path dir;

    private StreamsAuth open(Path file) {
        return StreamsAuth.builder().masterKey(MASTER).keyStore(ApiKeyStore.file(file)).clock(clock).build();
    }

    @Test
    void keysAndRevocationsSurviveARestartAndNoSecretIsWritten() throws Exception {
        Path file = dir.resolve("keys.json");
        StreamsAuth first = open(file);
        NewApiKey kept = first.createKey("alpha", "kept", EnumSet.of(Scope.SUBSCRIBE, Scope.PUBLISH));
        NewApiKey revoked = first.createKey("alpha", "revoked", EnumSet.of(Scope.SUBSCRIBE));
        first.revokeKey("alpha", revoked.metadata().id());

        String onDisk = Files.readString(file);
        assertThat(onDisk).doesNotContain(kept.secret()).doesNotContain(revoked.secret()).doesNotContain(kept.key());
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (var siblings = Files.list(dir)) {
            assertThat(siblings).containsExactly(file);
        }

        StreamsAuth restarted = open(file);
        Principal who = restarted.authenticate(Credentials.apiKey(kept.key()));
        assertThat(who.scopes()).containsExactlyInAnyOrder(Scope.SUBSCRIBE, Scope.PUBLISH);
        assertRefused(() -> restarted.authenticate(Credentials.apiKey(revoked.key())), AuthFailure.REVOKED_KEY);
        assertThat(restarted.listKeys("alpha")).extracting(ApiKey::name).containsExactlyInAnyOrder("kept", "revoked");
        assertThat(restarted.listKeys("alpha")).filteredOn(ApiKey::isRevoked).extracting(ApiKey::name).containsExactly("revoked");
    }

    @Test
    void concurrentCreatesAreAllKept() throws Exception {
        Path file = dir.resolve("keys.json");
        StreamsAuth auth = open(file);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<NewApiKey>> made = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                made.add(pool.submit(() -> auth.createKey("alpha", "k" + n, EnumSet.of(Scope.SUBSCRIBE))));
            }
            for (Future<NewApiKey> f : made) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(open(file).listKeys("alpha")).hasSize(40);
    }

    @Test
    void aCorruptFileIsReportedNotIgnored() throws Exception {
        Path file = dir.resolve("keys.json");
        Files.writeString(file, "[{\"id\": 5, ");
        assertThatThrownBy(() -> ApiKeyStore.file(file)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("corrupt");
    }
}
