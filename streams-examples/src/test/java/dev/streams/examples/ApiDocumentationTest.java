package dev.streams.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every public type, constructor, method and constant of the API packages (every main package but the
 * {@code internal} ones, the examples and the benchmarks) says in Javadoc what it is for. The compiler's
 * doclint checks that the Javadoc there is well-formed.
 */
class ApiDocumentationTest {
    private static final List<String> API_MODULES = List.of("streams-protocol", "streams-core", "streams-devices", "streams-auth", "streams-transport-ws",
            "streams-history", "streams-cluster-redis", "streams-client", "streams-micrometer", "streams-spring-boot-starter", "streams-coap");
    /** A public declaration: a type, a constructor, a method, a field or an enum constant's holder. */
    private static final Pattern PUBLIC = Pattern.compile("^\\s*public\\s+(?!.*\\bclass\\b.*\\bextends\\b\\s*$).*");

    @Test
    void everyPublicDeclarationOfTheApiIsDocumented() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> undocumented = new ArrayList<>();
        int declarations = 0;
        for (String module : API_MODULES) {
            Path sources = root.resolve(module).resolve("src/main/java");
            try (Stream<Path> all = Files.walk(sources)) {
                for (Path file : all.filter(f -> f.toString().endsWith(".java"))
                        .filter(f -> !f.toString().contains("/internal/")).toList()) {
                    List<String> lines = Files.readAllLines(file);
                    for (int i = 0; i < lines.size(); i++) {
                        if (!PUBLIC.matcher(lines.get(i)).matches()) {
                            continue;
                        }
                        declarations++;
                        int j = i - 1;
                        boolean override = false;
                        while (j >= 0 && lines.get(j).strip().startsWith("@")) {
                            override |= lines.get(j).strip().equals("@Override");
                            j--;
                        }
                        // An override inherits the documentation of what it overrides.
                        if (!override && (j < 0 || !lines.get(j).strip().endsWith("*/"))) {
                            undocumented.add(root.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
                        }
                    }
                }
            }
        }
        assertThat(declarations).as("public declarations scanned").isGreaterThan(200);
        assertThat(undocumented).as("public API without Javadoc").isEmpty();
    }
}
