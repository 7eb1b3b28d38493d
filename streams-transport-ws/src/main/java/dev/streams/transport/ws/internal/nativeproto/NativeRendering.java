package dev.streams.transport.ws.internal.nativeproto;

import dev.streams.core.Gap;
import dev.streams.transport.ws.internal.Failure;
import dev.streams.transport.ws.internal.SessionCodec;
import dev.streams.transport.ws.internal.SessionControl;

/** How the native protocol renders gaps and failures, whichever transport carries it. */
abstract class NativeRendering implements SessionCodec {
    protected final SessionControl session;

    NativeRendering(SessionControl session) {
        this.session = session;
    }

    @Override
    public final void gap(Gap gap) {
        session.sendGap(NativeWire.gap(gap));
    }

    @Override
    public final void fail(Failure failure, String message) {
        session.end(NativeWire.error(null, failure, message), failure.closeCode(), failure.name());
    }
}
