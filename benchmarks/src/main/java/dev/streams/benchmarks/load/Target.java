package dev.streams.benchmarks.load;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** What differs between the systems under test: paths and the few frames the tool sends. */
interface Target {
    /** Looked for in every frame nats-server sends (it must be answered), so built once. */
    byte[] NATS_PING = "PING\r\n".getBytes(StandardCharsets.US_ASCII);
    byte[] NATS_PONG = "PONG\r\n".getBytes(StandardCharsets.US_ASCII);

    String name();

    /** WebSocket path (with query) for a connection. */
    String path();

    /** Frames to send once connected, before the connection counts as subscribed (empty for none). */
    String[] subscribeFrames(String topic);

    /** Whether a received frame confirms the subscription. */
    boolean isSubscribed(ByteBuf frame);

    /** A publish frame carrying {@code payload}. */
    byte[] publishFrame(String topic, byte[] payload);

    /** The topic messages are published to. */
    default String topic() {
        return "bench";
    }

    /** How the publisher's connection speaks: the same as the subscribers', unless they only listen. */
    default Target publisher() {
        return this;
    }

    /** An answer the server requires to a frame (a NATS PING), or null. */
    default byte[] answer(ByteBuf frame) {
        return null;
    }

    /**
     * Streams' native protocol: subscribe and publish frames, acks per publish; with {@code batch}, the
     * connection asks for several messages per frame ({@code batch=true}).
     */
    static Target streams(String apiKey, boolean batch) {
        return new Target() {
            @Override
            public String name() {
                return "streams";
            }

            @Override
            public String path() {
                return "/v1/ws/native?" + (batch ? "batch=true&" : "") + "x-api-key=" + apiKey;
            }

            @Override
            public String[] subscribeFrames(String topic) {
                return new String[] {"{\"type\":\"subscribe\",\"id\":\"s\",\"topic\":\"" + topic + "\"}"};
            }

            @Override
            public boolean isSubscribed(ByteBuf frame) {
                return Bytes.contains(frame, "\"type\":\"ack\"");
            }

            @Override
            public byte[] publishFrame(String topic, byte[] payload) {
                return ("{\"type\":\"publish\",\"topic\":\"" + topic + "\",\"text\":\""
                        + new String(payload, StandardCharsets.US_ASCII) + "\"}").getBytes(StandardCharsets.US_ASCII);
            }
        };
    }

    /**
     * Golioth LightDB Stream subscribers: each connection streams a whole project
     * ({@code /v1/ws/projects/bench/stream}, subscribed once the handshake completes, one message per frame);
     * the publisher publishes device data over the native protocol, to the topic of one device's stream.
     */
    static Target golioth(String apiKey) {
        Target nativePublisher = streams(apiKey, false);
        return new Target() {
            @Override
            public String name() {
                return "streams-golioth";
            }

            @Override
            public String path() {
                return "/v1/ws/projects/bench/stream?x-api-key=" + apiKey;
            }

            @Override
            public String topic() {
                return "devices.load.stream";
            }

            @Override
            public Target publisher() {
                return nativePublisher;
            }

            @Override
            public String[] subscribeFrames(String topic) {
                return new String[0];
            }

            @Override
            public boolean isSubscribed(ByteBuf frame) {
                return false;
            }

            @Override
            public byte[] publishFrame(String topic, byte[] payload) {
                return nativePublisher.publishFrame(topic, payload);
            }
        };
    }

    /** nats-server's text protocol over its WebSocket listener. */
    static Target nats() {
        return new Target() {
            @Override
            public String name() {
                return "nats";
            }

            @Override
            public String path() {
                return "/";
            }

            @Override
            public String[] subscribeFrames(String topic) {
                return new String[] {"CONNECT {\"verbose\":false,\"pedantic\":false,\"protocol\":1}\r\nSUB " + topic
                        + " 1\r\nPING\r\n"};
            }

            @Override
            public boolean isSubscribed(ByteBuf frame) {
                return Bytes.contains(frame, "PONG");
            }

            @Override
            public byte[] publishFrame(String topic, byte[] payload) {
                byte[] head = ("PUB " + topic + " " + payload.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
                byte[] frame = new byte[head.length + payload.length + 2];
                System.arraycopy(head, 0, frame, 0, head.length);
                System.arraycopy(payload, 0, frame, head.length, payload.length);
                frame[frame.length - 2] = '\r';
                frame[frame.length - 1] = '\n';
                return frame;
            }

            @Override
            public byte[] answer(ByteBuf frame) {
                return Bytes.contains(frame, NATS_PING) ? NATS_PONG.clone() : null;
            }
        };
    }
}
