package dev.streams.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A master key kept in a file, so that API keys (whose secrets derive from it) keep working across restarts,
 * including for signing Golioth JWTs. The file is created on first use with 32 random bytes (base64) and
 * owner-only permissions; a data directory it is created in is made owner-only too. Whoever can read it can
 * derive every key's secret. Nodes of a cluster that share one file serve the same keys.
 */
public final class MasterKeyFile {
    /** The file name in a data directory: {@code master.key}. */
    public static final String NAME = "master.key";
    /** The API key store's file name in a data directory: {@code api-keys.json}. */
    public static final String KEY_STORE_NAME = "api-keys.json";
    /** The device credential store's file name in a data directory: {@code device-keys.json}. */
    public static final String DEVICE_STORE_NAME = "device-keys.json";

    private MasterKeyFile() {
    }

    /** Reads the master key of a data directory ({@value #NAME} in it), creating both when absent. */
    public static byte[] inDirectory(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            restrict(dataDir, "rwx------");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use data directory " + dataDir + ": " + e.getMessage(), e);
        }
        return readOrCreate(dataDir.resolve(NAME));
    }

    /**
     * Reads the master key in {@code file}, creating it (32 random bytes, base64, owner-only) when absent: the
     * first node of a cluster to start makes it, the others read the same key.
     */
    public static byte[] readOrCreate(Path file) {
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
