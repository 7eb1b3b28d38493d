package dev.streams.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each module's {@code internal} packages are its own: no source of another module (main or test) imports
 * them; modules meet only through API packages. The build fails when one does.
 */
class ModuleBoundariesTest {
    /** Each module and the package prefix that is its own. */
    private static final Map<String, String> OWNERS = Map.ofEntries(
            Map.entry("streams-protocol", "dev.streams.protocol."),
            Map.entry("streams-core", "dev.streams.core."),
            Map.entry("streams-devices", "dev.streams.devices."),
            Map.entry("streams-auth", "dev.streams.auth."),
            Map.entry("streams-transport-ws", "dev.streams.transport.ws."),
            Map.entry("streams-history", "dev.streams.history."),
            Map.entry("streams-cluster-redis", "dev.streams.cluster.redis."),
            Map.entry("streams-client", "dev.streams.client."),
            Map.entry("streams-micrometer", "dev.streams.micrometer."),
            Map.entry("streams-examples", "dev.streams.examples."),
            Map.entry("benchmarks", "dev.streams.benchmarks."));
    private static final Pattern INTERNAL_IMPORT = Pattern.compile("^import (?:static )?(dev\\.streams\\.[\\w.]*?\\.internal)\\.",
            Pattern.MULTILINE);

    @Test
    void noModuleImportsAnotherModulesInternals() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> violations = new ArrayList<>();
        int files = 0;
        for (Map.Entry<String, String> module : OWNERS.entrySet()) {
            Path sources = root.resolve(module.getKey()).resolve("src");
            if (!Files.isDirectory(sources)) {
                continue;
            }
            try (Stream<Path> all = Files.walk(sources)) {
                for (Path file : all.filter(f -> f.toString().endsWith(".java")).toList()) {
                    files++;
                    Matcher m = INTERNAL_IMPORT.matcher(read(file));
                    while (m.find()) {
                        if (!(m.group(1) + ".").startsWith(module.getValue())) {
                            violations.add(root.relativize(file) + " imports " + m.group(1));
                        }
                    }
                }
            }
        }
        assertThat(files).as("sources scanned").isGreaterThan(100);
        assertThat(violations).isEmpty();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
