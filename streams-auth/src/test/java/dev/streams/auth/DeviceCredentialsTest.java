package dev.streams.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceCredentialsTest extends AuthFixture {
    @TempDir
    Path dir;

    private StreamsAuth auth(Path file) {
        return StreamsAuth.builder().masterKey(MASTER).deviceStore(DeviceCredentialStore.file(file)).build();
    }

    @Test
    void aDevicesKeyIsDerivedAgainAtEveryHandshakeAndStoredOnlyAsAHash() throws Exception {
        Path file = dir.resolve("devices.json");
        NewDeviceCredential created = auth(file).devices().create("p1", "thermo-1");
        assertThat(created.identity()).isEqualTo("thermo-1@p1");
        assertThat(created.toString()).doesNotContain(created.psk());
        assertThat(Files.readString(file)).doesNotContain(created.psk()).contains("thermo-1");

        // Another process (or the next start) with the same master key finds the same key for the identity.
        StreamsAuth restarted = auth(file);
        assertThat(restarted.devices().psk("thermo-1@p1")).hasValueSatisfying(psk ->
                assertThat(new String(psk, UTF_8)).isEqualTo(created.psk()));
        // With another master key, the stored hash no longer matches: no key at all, rather than a wrong one.
        StreamsAuth otherMaster = StreamsAuth.builder().masterKey("another-master-key-0123456789abcdef".getBytes(UTF_8))
                .deviceStore(DeviceCredentialStore.file(file)).build();
        assertThat(otherMaster.devices().psk("thermo-1@p1")).isEmpty();
        assertThat(restarted.devices().recover("p1", "thermo-1").orElseThrow().psk()).isEqualTo(created.psk());
        assertThat(restarted.devices().recover("p1", "thermo-2")).isEmpty();
    }

    @Test
    void aDeviceMayOnlyIngestIntoItsOwnStream() {
        StreamsAuth auth = auth(dir.resolve("devices.json"));
        auth.devices().create("p1", "thermo-1");
        Principal device = auth.devices().authenticate("thermo-1@p1").orElseThrow();
        assertThat(device.kind()).isEqualTo(Principal.Kind.DEVICE_PSK);
        auth.checkIngest(device, "p1", "thermo-1");
        assertRefused(() -> auth.checkIngest(device, "p1", "thermo-2"), AuthFailure.FORBIDDEN_TOPIC);
        assertRefused(() -> auth.checkIngest(device, "p2", "thermo-1"), AuthFailure.FORBIDDEN_PROJECT);
        assertRefused(() -> auth.checkSubscribe(device, "p1", "devices.thermo-1.stream"), AuthFailure.MISSING_SCOPE);
    }

    @Test
    void rotationAndRevocationEndTheOldKeyAtOnce() {
        StreamsAuth auth = auth(dir.resolve("devices.json"));
        NewDeviceCredential first = auth.devices().create("p1", "thermo-1");
        NewDeviceCredential second = auth.devices().create("p1", "thermo-1");
        assertThat(second.psk()).isNotEqualTo(first.psk());
        assertThat(new String(auth.devices().psk("thermo-1@p1").orElseThrow(), UTF_8)).isEqualTo(second.psk());
        assertThat(auth.devices().list("p1")).extracting(DeviceCredential::isRevoked).containsExactly(true, false);

        assertThat(auth.devices().revoke("p1", "thermo-1")).isTrue();
        assertThat(auth.devices().revoke("p1", "thermo-1")).isFalse();
        assertThat(auth.devices().psk("thermo-1@p1")).isEmpty();
        assertThat(auth.devices().authenticate("thermo-1@p1")).isEmpty();
    }

    @Test
    void unknownAndMalformedIdentitiesHaveNoKey() {
        StreamsAuth auth = auth(dir.resolve("devices.json"));
        auth.devices().create("p1", "thermo-1");
        for (String identity : new String[] {"thermo-1", "@p1", "thermo-1@", "thermo-2@p1", "thermo-1@p2", "", null}) {
            assertThat(auth.devices().psk(identity)).as(String.valueOf(identity)).isEmpty();
        }
        assertThatThrownBy(() -> auth.devices().create("p1", "no/slashes")).isInstanceOf(RuntimeException.class);
    }
}
