package dev.streams.examples;

import dev.streams.transport.ws.HttpCall;
import dev.streams.transport.ws.HttpEndpoint;
import dev.streams.transport.ws.HttpReply;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Serves GET requests from a classpath folder ({@code /} is {@code index.html}), as the server's fallback. The
 * folder is read once, at start, into memory (from a directory or from the jar); a request is a map lookup, so a
 * name that is not there never reaches the class loader (whose resource cache would keep every name asked for).
 * {@code /favicon.ico} answers with the folder's {@code favicon.svg} when it has no {@code favicon.ico}.
 */
final class StaticFiles implements HttpEndpoint {
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml",
            "png", "image/png", "json", "application/json", "ico", "image/x-icon", "txt", "text/plain; charset=utf-8");
    /** The folder is the demo's few small files; a folder larger than this is a packaging mistake. */
    private static final long MAX_FOLDER_BYTES = 16L << 20;

    private final Map<String, HttpReply> files;

    StaticFiles(String classpathFolder) {
        this.files = index(classpathFolder.replaceAll("^/+|/+$", ""));
    }

    @Override
    public HttpReply handle(HttpCall call) {
        if (!call.method().equals("GET")) {
            return null;
        }
        return files.get(call.path().equals("/") ? "index.html" : call.path().substring(1));
    }

    /** Files held in memory: the folder's, however many names clients ask for. */
    int cachedFiles() {
        return files.size();
    }

    private static Map<String, HttpReply> index(String root) {
        URL url = StaticFiles.class.getClassLoader().getResource(root);
        if (url == null) {
            throw new IllegalStateException("no folder " + root + " on the class path");
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return read(jar.getPath(root));
                }
            }
            return read(Path.of(uri));
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot read the folder " + root + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, HttpReply> read(Path folder) throws IOException {
        Map<String, HttpReply> read = new HashMap<>();
        long total = 0;
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                String name = folder.relativize(file).toString().replace('\\', '/');
                byte[] content = Files.readAllBytes(file);
                total += content.length;
                if (total > MAX_FOLDER_BYTES) {
                    throw new IllegalStateException(folder + " holds more than " + MAX_FOLDER_BYTES + " bytes");
                }
                String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
                read.put(name, new HttpReply(200, TYPES.getOrDefault(extension, "application/octet-stream"), content));
            }
        }
        if (!read.containsKey("favicon.ico") && read.containsKey("favicon.svg")) {
            read.put("favicon.ico", read.get("favicon.svg"));
        }
        return Map.copyOf(read);
    }
}
