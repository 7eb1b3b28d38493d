package dev.streams.client.internal;

import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.Map;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/** One connection attempt's WebSocket: hands each frame and the close to its {@link Connection}. */
final class Socket extends WebSocketClient {
    private static final System.Logger LOG = System.getLogger(Socket.class.getName());
    private final Connection connection;

    Socket(URI uri, Map<String, String> headers, Connection connection) {
        super(uri, headers);
        this.connection = connection;
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
    }

    /** A text message holds one frame, or several newline-separated ones (the client asks for {@code batch=true}). */
    @Override
    public void onMessage(String message) {
        for (String frame : message.split("\n")) {
            try {
                connection.onFrame(frame);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "cannot handle frame from server", e);
            }
        }
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        connection.onDisconnect(this, code, reason);
    }

    @Override
    public void onError(Exception ex) {
        LOG.log(Level.DEBUG, "socket error", ex);
    }
}
