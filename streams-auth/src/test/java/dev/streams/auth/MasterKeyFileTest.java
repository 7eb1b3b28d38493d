package dev.streams.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyFileTest {
    @TempDir
    Path dir;

    @Test
    void createsAnOwnerOnlyKeyOnceAndReadsItBack() throws Exception {
        Path data = dir.resolve("data");
        byte[] first = MasterKeyFile.inDirectory(data);
        assertThat(first).hasSize(32);
        assertThat(MasterKeyFile.inDirectory(data)).isEqualTo(first);
        assertThat(Files.getPosixFilePermissions(data.resolve(MasterKeyFile.NAME)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(data)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void nodesStartingTogetherAllReadTheOneKeyTheFirstWrote() throws Exception {
        Path shared = dir.resolve("shared.key");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<byte[]>> starts = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                starts.add(pool.submit((Callable<byte[]>) () -> MasterKeyFile.readOrCreate(shared)));
            }
            byte[] key = starts.get(0).get();
            for (Future<byte[]> start : starts) {
                assertThat(start.get()).isEqualTo(key);
            }
        } finally {
            pool.shutdownNow();
        }
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("shared.key");
        }
    }

    @Test
    void aDamagedFileIsRefusedWithWhatToDo() throws Exception {
        Path shortKey = dir.resolve("short.key");
        Files.writeString(shortKey, "c2hvcnQ=\n");
        assertThatThrownBy(() -> MasterKeyFile.readOrCreate(shortKey)).hasMessageContaining("fewer than 32 bytes");
        Path notBase64 = dir.resolve("bad.key");
        Files.writeString(notBase64, "not base64 at all!\n");
        assertThatThrownBy(() -> MasterKeyFile.readOrCreate(notBase64)).hasMessageContaining("not base64");
    }
}
