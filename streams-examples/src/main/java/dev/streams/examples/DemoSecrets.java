package dev.streams.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The demo's master key, kept in its data directory so that API keys (whose secrets derive from it) keep
 * working across restarts, including for signing Golioth JWTs. Created on first start with owner-only
 * permissions; the directory is made owner-only too. Whoever can read it can derive every key's secret.
 */
final class DemoSecrets {
    static final String MASTER_KEY_FILE = "master.key";
    static final String KEY_STORE_FILE = "api-keys.json";

    private DemoSecrets() {
    }

    /** Reads the data directory's master key, creating it (32 random bytes, base64) when absent. */
    static byte[] masterKey(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            restrict(dataDir, "rwx------");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use data directory " + dataDir + ": " + e.getMessage(), e);
        }
        return masterKeyIn(dataDir.resolve(MASTER_KEY_FILE));
    }

    /**
     * Reads the master key in {@code file}, creating it (32 random bytes, base64, owner-only) when absent: the
     * first node of a cluster given {@code --master-key-file} makes it, the others read the same key.
     */
    static byte[] masterKeyIn(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Path dir = file.toAbsolutePath().getParent();
                Files.createDirectories(dir);
                // Written whole beside it, then linked into place: a node starting at the same time reads either
                // no file or a complete one.
                Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
                try {
                    restrict(temp, "rw-------");
                    Files.writeString(temp, Base64.getEncoder().encodeToString(fresh) + "\n");
                    // A hard link fails when the name exists, where a rename would replace a key already in use.
                    Files.createLink(file, temp);
                } catch (FileAlreadyExistsException anotherStart) {
                    // another process created it first: read theirs below
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
            byte[] key = Base64.getDecoder().decode(Files.readString(file).strip());
            if (key.length < 32) {
                throw new IllegalStateException(file + " holds fewer than 32 bytes; delete it to start over");
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use master key file " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + " is not base64; delete it to start over");
        }
    }

    private static void restrict(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the directory inherits the user profile's access rules.
        }
    }
}
