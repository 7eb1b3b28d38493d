package dev.streams.transport.ws;

/**
 * A plain HTTP endpoint a host application adds beside the built-in ones (see
 * {@link StreamsServer.Builder#endpoint}). It runs on a network thread: it must answer quickly and never block.
 */
@FunctionalInterface
public interface HttpEndpoint {
    HttpReply handle(HttpCall call);
}
