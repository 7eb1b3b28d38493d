package dev.streams.transport.ws.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.channel.local.LocalChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Connections on one real event loop (the loop's write pass is what shares frames), with a handler in each channel
 * that takes the writes as a socket would and keeps them: what the shared-frames tests look at.
 */
abstract class LoopConnections {
    EventLoop loop;
    final List<Conn> conns = new ArrayList<>();

    /**
     * One connection: its batcher, and what reached its socket: the bytes of each flush (one system call's worth) and
     * where each written piece was read from.
     */
    static final class Conn extends ChannelOutboundHandlerAdapter {
        final LocalChannel channel = new LocalChannel();
        final FrameBatcher batcher = new FrameBatcher(channel, new OutboundBudget(1L << 20));
        final List<byte[]> writes = new ArrayList<>();
        /** Which buffer each written piece is part of (its root's identity). */
        final List<Integer> buffers = new ArrayList<>();
        private final ByteArrayOutputStream unflushed = new ByteArrayOutputStream();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ByteBuf buf = (ByteBuf) msg;
            if (buf.isReadable()) {
                unflushed.writeBytes(ByteBufUtil.getBytes(buf));
                ByteBuf root = buf;
                while (root.unwrap() != null) {
                    root = root.unwrap();
                }
                buffers.add(System.identityHashCode(root));
            }
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (unflushed.size() > 0) {
                writes.add(unflushed.toByteArray());
                unflushed.reset();
            }
        }
    }

    @BeforeEach
    void start() throws Exception {
        loop = new DefaultEventLoop();
    }

    @AfterEach
    void stop() throws Exception {
        onLoop(() -> {
            conns.forEach(c -> c.batcher.discard());
            return null;
        });
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    Conn connect() throws Exception {
        Conn conn = new Conn();
        conn.channel.pipeline().addLast(conn);
        loop.register(conn.channel).sync();
        conns.add(conn);
        return conn;
    }

    <T> T onLoop(Callable<T> work) throws Exception {
        return loop.submit(work).get(10, TimeUnit.SECONDS);
    }

    /** Runs {@code turn} on the loop, then waits until the loop has nothing queued: its write pass has run. */
    void turn(Runnable turn) throws Exception {
        onLoop(() -> {
            turn.run();
            return null;
        });
        while (onLoop(() -> ((SingleThreadEventExecutor) loop).pendingTasks()) > 0) {
            Thread.onSpinWait();
        }
    }

    /** Runs {@code pass} twice, keeping what the second wrote: in the first, each lane learns what a pass frames. */
    void secondPass(Runnable pass) throws Exception {
        turn(pass);
        conns.forEach(conn -> {
            conn.writes.clear();
            conn.buffers.clear();
        });
        turn(pass);
    }

    static byte[] payload(char c, int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) c);
        return bytes;
    }

    /** What a client reads: an unmasked text frame (FIN, opcode 1) per payload, back to back. */
    static byte[] frames(byte[]... payloads) {
        ByteBuf out = io.netty.buffer.Unpooled.buffer();
        for (byte[] p : payloads) {
            FrameBatcher.header(out, 0x81, p.length);
            out.writeBytes(p);
        }
        byte[] bytes = ByteBufUtil.getBytes(out);
        out.release();
        return bytes;
    }

}
