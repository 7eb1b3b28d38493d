package dev.streams.transport.ws;

/**
 * A plain HTTP endpoint a host application adds beside the built-in ones (see
 * {@link StreamsServer.Builder#endpoint}, {@link StreamsServer.Builder#fallback}). It runs on a network thread:
 * it must answer quickly and never block.
 */
@FunctionalInterface
public interface HttpEndpoint {
    /** Answers one request; a fallback may return null for "not mine" (the server then answers 404). */
    HttpReply handle(HttpCall call);
}
