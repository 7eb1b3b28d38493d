package dev.streams.transport.ws;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A client that speaks just enough HTTP to open a WebSocket, then does what tests need: nothing, often. */
final class RawSocket implements AutoCloseable {
    final Socket socket = new Socket();
    final String responseHead;

    RawSocket(int port, String path, String extraHeaders, int receiveBuffer) throws IOException {
        socket.setReceiveBufferSize(receiveBuffer);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        responseHead = readHead(socket.getInputStream());
    }

    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** Opens a plain TCP connection and sends {@code request} as is (for malformed HTTP). */
    static RawSocket plain(int port, String request) throws IOException {
        return new RawSocket(port, request);
    }

    /** Like {@link #plain}, from another loopback address ({@code 127.0.0.2}...): another source to the server. */
    static RawSocket from(String localAddress, int port, String request) throws IOException {
        return new RawSocket(localAddress, port, request);
    }

    private RawSocket(int port, String request) throws IOException {
        this("127.0.0.1", port, request);
    }

    private RawSocket(String localAddress, int port, String request) throws IOException {
        socket.bind(new InetSocketAddress(localAddress, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        send(request.getBytes(StandardCharsets.ISO_8859_1));
        responseHead = "";
    }

    void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** Reads the head of the next HTTP response (status line and headers). */
    String readHttpHead() throws IOException {
        return readHead(socket.getInputStream());
    }

    /** Reads the next HTTP response, head and body (by its Content-Length), as one string. */
    String readHttpResponse() throws IOException {
        String head = readHttpHead();
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        int bytes = length.find() ? Integer.parseInt(length.group(1)) : 0;
        return head + new String(socket.getInputStream().readNBytes(bytes), StandardCharsets.UTF_8);
    }

    /** A masked client frame, as RFC 6455 requires of clients. */
    static byte[] frame(int opcode, boolean fin, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | opcode);
        int length = payload.length;
        if (length < 126) {
            out.write(0x80 | length);
        } else if (length <= 0xFFFF) {
            out.write(0x80 | 126);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) length >> shift));
            }
        }
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        out.write(mask, 0, 4);
        for (int i = 0; i < length; i++) {
            out.write(payload[i] ^ mask[i % 4]);
        }
        return out.toByteArray();
    }

    /** Reads one unmasked server frame: its opcode and payload. */
    int[] readFrameHeader(ByteArrayOutputStream payload) throws IOException {
        InputStream in = socket.getInputStream();
        int b0 = in.read();
        int b1 = in.read();
        if (b0 < 0 || b1 < 0) {
            return null;
        }
        long length = b1 & 0x7F;
        if (length == 126) {
            length = (in.read() << 8) | in.read();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | in.read();
            }
        }
        for (long i = 0; i < length; i++) {
            payload.write(in.read());
        }
        return new int[] {b0 & 0x0F, (int) length};
    }

    /** Reads frames until a close frame and returns its code, or -1 when the connection ended without one. */
    int readCloseCode() throws IOException {
        while (true) {
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            int[] header = readFrameHeader(payload);
            if (header == null) {
                return -1;
            }
            if (header[0] == 8) {
                byte[] p = payload.toByteArray();
                return p.length >= 2 ? ((p[0] & 0xFF) << 8) | (p[1] & 0xFF) : 1005;
            }
        }
    }

    /** Whether the server closed the connection (reads until end of stream, discarding). */
    boolean isClosedByServer() {
        try {
            byte[] sink = new byte[64 * 1024];
            while (socket.getInputStream().read(sink) >= 0) {
                // drain until the server's FIN
            }
            return true;
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
