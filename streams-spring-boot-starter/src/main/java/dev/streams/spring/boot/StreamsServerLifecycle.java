package dev.streams.spring.boot;

import dev.streams.transport.ws.StreamsServer;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the server when the application context has refreshed and stops it, draining, when the context closes:
 * clients are told to come back later (close 1001) and requests in flight finish within the server's close
 * timeout, before the broker and the history store (beans the server depends on) are closed.
 */
final class StreamsServerLifecycle implements SmartLifecycle {
    /** Stops with the web servers' graceful shutdown, before other lifecycles. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    private final StreamsServer server;
    private volatile boolean running;

    StreamsServerLifecycle(StreamsServer server) {
        this.server = server;
    }

    @Override
    public void start() {
        server.start();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        server.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
