package dev.streams.transport.ws.internal;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * The socket transport the server's event loops run: Netty's native epoll where it loads (Linux x86-64), else
 * Java NIO. Epoll wakes an event loop with an eventfd rather than a selector's pipe and lock, and keeps far less
 * per connection (no JDK socket channel, selection key, file descriptor and socket adaptor objects).
 */
public enum IoTransport {
    /** Netty's native epoll transport. */
    EPOLL,
    /** Java NIO, available everywhere. */
    NIO;

    /** Epoll when asked for and available, else NIO. */
    public static IoTransport choose(boolean nativeWanted) {
        return nativeWanted && Epoll.isAvailable() ? EPOLL : NIO;
    }

    public IoHandlerFactory handlerFactory() {
        return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    public Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
}
