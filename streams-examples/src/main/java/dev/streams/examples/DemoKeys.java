package dev.streams.examples;

import dev.streams.auth.ApiKey;
import dev.streams.auth.ApiKeyStore;
import dev.streams.auth.DeviceCredentialStore;
import dev.streams.auth.MasterKeyFile;
import dev.streams.auth.NewApiKey;
import dev.streams.auth.Scope;
import dev.streams.auth.StreamsAuth;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The demo's API keys: the auth over a data directory (its master key, or a cluster's shared one, and its key
 * file), which key the demo serves with, and the {@code keys} command line that lists, creates and revokes keys
 * in a data directory, also while a demo serves from it (it re-reads the key file within a second, and ends the
 * sessions of a revoked key).
 */
final class DemoKeys {
    static final String DEMO_KEY_NAME = "demo";

    /** The key the demo serves with, and where it came from (for the welcome text). */
    record Chosen(String key, String id, Origin origin) {
    }

    /** Where the demo's key came from. */
    enum Origin {
        /** Given with --api-key. */
        GIVEN,
        /** The data directory's demo key, from an earlier start. */
        REUSED,
        /** Created on this start (the data directory had none). */
        CREATED
    }

    private DemoKeys() {
    }

    /** The auth of a demo with this data directory and, when given, a cluster's shared master key file. */
    static StreamsAuth open(Path dataDir, Path masterKeyFile) {
        byte[] master = masterKeyFile != null ? MasterKeyFile.readOrCreate(masterKeyFile) : MasterKeyFile.inDirectory(dataDir);
        return StreamsAuth.builder().masterKey(master)
                .keyStore(ApiKeyStore.file(dataDir.resolve(MasterKeyFile.KEY_STORE_NAME)))
                .deviceStore(DeviceCredentialStore.file(dataDir.resolve(MasterKeyFile.DEVICE_STORE_NAME))).build();
    }

    /**
     * The key to serve with: {@code given} (imported when the data directory does not know it yet), else the data
     * directory's newest working demo key, else a new one. So restarts keep one key, and none pile up.
     */
    static Chosen choose(StreamsAuth auth, String project, String given) {
        Set<Scope> all = EnumSet.allOf(Scope.class);
        if (given != null) {
            String id = given.length() > 20 ? given.substring(4, 20) : "";
            boolean known = auth.listKeys(project).stream().anyMatch(k -> k.id().equals(id) && !k.isRevoked());
            ApiKey key = known ? null : auth.importKey(project, DEMO_KEY_NAME, all, given);
            return new Chosen(given, key != null ? key.id() : id, Origin.GIVEN);
        }
        List<ApiKey> demoKeys = auth.listKeys(project).stream()
                .filter(k -> k.name().equals(DEMO_KEY_NAME) && !k.isRevoked())
                .sorted(Comparator.comparing(ApiKey::createdAt).reversed()).toList();
        for (ApiKey candidate : demoKeys) {
            NewApiKey recovered = auth.recoverKey(project, candidate.id()).orElse(null);
            if (recovered != null) {
                return new Chosen(recovered.key(), candidate.id(), Origin.REUSED);
            }
        }
        NewApiKey created = auth.createKey(project, DEMO_KEY_NAME, all);
        return new Chosen(created.key(), created.metadata().id(), Origin.CREATED);
    }

    /** Runs {@code keys ...}; returns the exit code. */
    static int run(PrintStream out, PrintStream err, String... args) {
        CommandLine line = new CommandLine(new Keys()).addSubcommand(new ListKeys(out)).addSubcommand(new CreateKey(out))
                .addSubcommand(new RevokeKey(out)).addSubcommand(DemoDeviceKeys.command(out));
        line.setOut(new java.io.PrintWriter(out, true));
        line.setErr(new java.io.PrintWriter(err, true));
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            err.println("keys: " + e.getMessage());
            return 2;
        });
        return line.execute(args);
    }

    @Command(name = "keys", mixinStandardHelpOptions = true,
            description = "List, create and revoke the API keys of a demo's data directory, and with devices its"
                    + " devices' pre-shared keys.",
            footer = "Run it with: java -jar streams-examples/target/streams-demo.jar keys <list|create|revoke|devices> ...")
    static final class Keys implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new CommandLine.ParameterException(new CommandLine(this), "name a command: list, create, revoke or devices");
        }
    }

    /** Options every keys command takes. */
    static class Where {
        /** Where the command prints (the caller's stream, so tests read it). */
        final PrintStream out;
        @Option(names = "--data-dir", defaultValue = "streams-data",
                description = "the demo's data directory (default ${DEFAULT-VALUE})")
        Path dataDir;
        @Option(names = "--master-key-file", paramLabel = "FILE", description = "a cluster's shared master key")
        Path masterKeyFile;
        @Option(names = "--project", defaultValue = "demo", description = "the project (default ${DEFAULT-VALUE})")
        String project;

        Where(PrintStream out) {
            this.out = out;
        }

        /** The auth over an existing data directory (a command never creates one). */
        StreamsAuth auth() {
            if (!java.nio.file.Files.isDirectory(dataDir)) {
                throw new IllegalArgumentException("no data directory " + dataDir.toAbsolutePath()
                        + " (start the demo once, or pass --data-dir)");
            }
            return open(dataDir, masterKeyFile);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The project's keys, revoked ones included.")
    static final class ListKeys extends Where implements Callable<Integer> {
        ListKeys(PrintStream out) {
            super(out);
        }

        @Override
        public Integer call() {
            StreamsAuth auth = auth();
            out.printf("%-16s  %-12s  %-30s  %-24s  %s%n", "id", "name", "scopes", "created", "revoked");
            for (ApiKey key : auth.listKeys(project)) {
                out.printf("%-16s  %-12s  %-30s  %-24s  %s%n", key.id(), key.name(),
                        key.scopes().stream().map(Scope::wireName).sorted().toList(), key.createdAt(),
                        key.isRevoked() ? key.revokedAt() : "-");
            }
            return 0;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a key and prints it once.")
    static final class CreateKey extends Where implements Callable<Integer> {
        @Parameters(index = "0", description = "a name for people")
        String name;
        @Option(names = "--scopes", split = ",", defaultValue = "publish,subscribe,issue_tokens,ingest",
                description = "what it may do (default ${DEFAULT-VALUE})")
        List<String> scopes;

        CreateKey(PrintStream out) {
            super(out);
        }

        @Override
        public Integer call() {
            Set<Scope> granted = EnumSet.noneOf(Scope.class);
            for (String scope : scopes) {
                try {
                    granted.add(Scope.fromWireName(scope.strip()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown scope " + scope + " (publish, subscribe, issue_tokens, ingest)");
                }
            }
            NewApiKey key = auth().createKey(project, name, granted);
            out.println(key.key());
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revokes a key; a demo serving from the directory ends its sessions within a second.")
    static final class RevokeKey extends Where implements Callable<Integer> {
        @Parameters(index = "0", description = "the key's id (as `keys list` shows it)")
        String id;

        RevokeKey(PrintStream out) {
            super(out);
        }

        @Override
        public Integer call() {
            if (!auth().revokeKey(project, id)) {
                throw new IllegalArgumentException("no working key " + id + " in project " + project);
            }
            out.println("revoked " + id);
            return 0;
        }
    }
}
