package dev.streams.history;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server for a test: {@code initdb} into a temporary directory, {@code pg_ctl start} on a free
 * loopback port, {@code pg_ctl stop} at the end. PostgreSQL refuses to run as root, so as root it runs as the
 * {@code postgres} user that Debian's package creates. Fails, saying what to install, when the binaries are
 * absent: a test that needs a server never skips silently. Shared with the examples' tests (test-jar).
 */
public final class PostgresServer implements AutoCloseable {
    private final Path dir;
    private final Path bin;
    private final int port;
    private final boolean asPostgresUser;

    /** Creates and starts a server in a new temporary directory. */
    public PostgresServer() throws IOException, InterruptedException {
        this.bin = findBin();
        if (bin == null) {
            throw new AssertionError("PostgreSQL is not installed: install Debian's postgresql package "
                    + "(initdb and pg_ctl are needed; .ci/run installs it)");
        }
        this.asPostgresUser = "root".equals(System.getProperty("user.name"));
        this.dir = Files.createTempDirectory("streams-pg");
        if (asPostgresUser) {
            run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
        }
        try (ServerSocket free = new ServerSocket(0)) {
            this.port = free.getLocalPort();
        }
        run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-A", "trust", "-U", "streams",
                "--no-sync", "-E", "UTF8"), true);
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-l",
                dir.resolve("log").toString(), "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off",
                "start"), true);
    }

    private static Path findBin() throws IOException {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path initdb = Path.of(d, "initdb");
            if (Files.isExecutable(initdb)) {
                return initdb.toRealPath().getParent();
            }
        }
        Path versions = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(versions)) {
            try (Stream<Path> all = Files.list(versions)) {
                return all.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.naturalOrder()).orElse(null);
            }
        }
        return null;
    }

    private void run(List<String> command, boolean postgres) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (postgres && asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", full) + " failed:\n" + output);
        }
    }

    /** A data source for the server's {@code postgres} database. */
    public DataSource dataSource() {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl("jdbc:postgresql://127.0.0.1:" + port + "/postgres");
        source.setUser("streams");
        return source;
    }

    @Override
    public void close() throws IOException {
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "stop"),
                    true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
