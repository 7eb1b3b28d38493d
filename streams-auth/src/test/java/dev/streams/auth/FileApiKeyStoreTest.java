package dev.streams.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
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
            // No temporary file is left; writers (this server, a command line) take turns on an empty lock file.
            assertThat(siblings).containsExactlyInAnyOrder(file, dir.resolve("keys.json.lock"));
        }
        assertThat(Files.size(dir.resolve("keys.json.lock"))).isZero();

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
    void twoStoresOverOneFileSeeAndKeepEachOthersChanges() throws Exception {
        Path file = dir.resolve("keys.json");
        StreamsAuth server = open(file);
        StreamsAuth commandLine = open(file);
        NewApiKey fromServer = server.createKey("alpha", "server", EnumSet.of(Scope.SUBSCRIBE));
        NewApiKey fromCommandLine = commandLine.createKey("alpha", "cli", EnumSet.of(Scope.SUBSCRIBE));
        assertThat(commandLine.revokeKey("alpha", fromServer.metadata().id())).isTrue();

        // The server's next lookup after its recheck interval reads the command line's changes...
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!server.isRevoked(principalOf(fromServer)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertRefused(() -> server.authenticate(Credentials.apiKey(fromServer.key())), AuthFailure.REVOKED_KEY);
        assertThat(server.authenticate(Credentials.apiKey(fromCommandLine.key())).project()).isEqualTo("alpha");
        // ...and its own writes keep them.
        server.createKey("alpha", "later", EnumSet.of(Scope.SUBSCRIBE));
        assertThat(open(file).listKeys("alpha")).extracting(ApiKey::name)
                .containsExactlyInAnyOrder("server", "cli", "later");
    }

    private static Principal principalOf(NewApiKey key) {
        return new Principal(Principal.Kind.API_KEY, key.metadata().id(), "alpha", key.metadata().scopes(),
                List.of(">"), null);
    }

    @Test
    void aCorruptFileIsReportedNotIgnored() throws Exception {
        Path file = dir.resolve("keys.json");
        Files.writeString(file, "[{\"id\": 5, ");
        assertThatThrownBy(() -> ApiKeyStore.file(file)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("corrupt");
    }
}
