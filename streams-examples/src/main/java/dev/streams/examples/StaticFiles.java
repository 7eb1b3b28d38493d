package dev.streams.examples;

import dev.streams.transport.ws.HttpCall;
import dev.streams.transport.ws.HttpEndpoint;
import dev.streams.transport.ws.HttpReply;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves GET requests from a classpath folder ({@code /} is {@code index.html}), as the server's fallback.
 * Files are read once and kept in memory; only files that exist are remembered, so the cache is bounded by
 * the folder's contents whatever paths clients ask for. No path may climb out of the folder.
 */
final class StaticFiles implements HttpEndpoint {
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml",
            "png", "image/png", "json", "application/json", "ico", "image/x-icon", "txt", "text/plain; charset=utf-8");

    private final String root;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    StaticFiles(String classpathFolder) {
        this.root = classpathFolder.replaceAll("^/+|/+$", "");
    }

    @Override
    public HttpReply handle(HttpCall call) {
        if (!call.method().equals("GET")) {
            return null;
        }
        String name = call.path().equals("/") ? "index.html" : call.path().substring(1);
        if (name.isEmpty() || name.contains("..") || name.contains("\\") || name.startsWith("/") || name.endsWith("/")) {
            return null;
        }
        byte[] content = cache.get(name);
        if (content == null) {
            content = load(name);
            if (content == null) {
                return null;
            }
            cache.putIfAbsent(name, content);
        }
        String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return new HttpReply(200, TYPES.getOrDefault(extension, "application/octet-stream"), content);
    }

    /** Files held in memory. */
    int cachedFiles() {
        return cache.size();
    }

    private byte[] load(String name) {
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(root + "/" + name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }
}
