package dev.streams.transport.ws.internal.nativeproto;

import dev.streams.core.Gap;
import dev.streams.transport.ws.internal.Dialect;
import dev.streams.transport.ws.internal.Failure;
import dev.streams.transport.ws.internal.Outbound;
import dev.streams.transport.ws.internal.ServerContext;
import dev.streams.transport.ws.internal.Session;
import io.netty.channel.Channel;

/** How the native protocol renders gaps and failures, whichever transport carries it. */
abstract class NativeDialect extends Session {
    NativeDialect(Channel channel, ServerContext server, Outbound out) {
        super(channel, server, Dialect.NATIVE, out);
    }

    @Override
    protected final void onGap(Gap gap) {
        sendGap(NativeWire.gap(gap));
    }

    @Override
    protected final void fail(Failure failure, String message) {
        fail(NativeWire.error(null, failure, message), failure.closeCode(), failure.name());
    }
}
