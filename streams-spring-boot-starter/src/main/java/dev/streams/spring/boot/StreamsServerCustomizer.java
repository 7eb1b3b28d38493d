package dev.streams.spring.boot;

import dev.streams.transport.ws.StreamsServer;

/**
 * Changes the server's builder before the auto-configured server is built: the host's own endpoints on the same
 * port ({@link StreamsServer.Builder#endpoint}), TLS, limits the properties do not name. Every customizer bean is
 * applied, in {@link org.springframework.core.annotation.Order} order, after the {@code streams.server.*}
 * properties.
 */
@FunctionalInterface
public interface StreamsServerCustomizer {
    /** Changes the builder; called once, before {@link StreamsServer.Builder#build()}. */
    void customize(StreamsServer.Builder builder);
}
