package dev.streams.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The server runs on Netty's native epoll transport where it loads and on Java NIO elsewhere: every server
 * behaviour and the native protocol again on NIO, and a check that this (Linux x86-64) build really loads epoll,
 * so that the other tests run on it rather than silently falling back.
 */
class NioTransportTest {
    @Test
    void theDefaultIsEpollOnLinuxX86And64BitNioWhenAskedOrElsewhere() {
        var broker = dev.streams.core.Broker.create();
        var auth = dev.streams.auth.StreamsAuth.builder().masterKey(ServerFixture.MASTER).build();
        boolean linuxX86 = System.getProperty("os.name").equals("Linux")
                && System.getProperty("os.arch").matches("amd64|x86_64");
        try (StreamsServer epoll = StreamsServer.builder(broker, auth).port(0).build().start();
             StreamsServer nio = StreamsServer.builder(broker, auth).port(0).nativeTransport(false).build().start()) {
            assertThat(epoll.isNativeTransport()).as("epoll loads on Linux x86-64").isEqualTo(linuxX86);
            assertThat(nio.isNativeTransport()).isFalse();
        } finally {
            broker.close();
        }
    }

    @Nested
    class ServerBehaviourOnNio extends ServerBehaviourTest {
        @Override
        StreamsServer.Builder transport(StreamsServer.Builder builder) {
            return builder.nativeTransport(false);
        }
    }

    @Nested
    class NativeProtocolOnNio extends NativeProtocolTest {
        @Override
        StreamsServer.Builder transport(StreamsServer.Builder builder) {
            return builder.nativeTransport(false);
        }
    }
}
