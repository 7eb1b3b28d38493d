package dev.streams.transport.ws.internal;

import dev.streams.core.CloseReason;
import dev.streams.core.Event;
import dev.streams.core.Gap;
import dev.streams.core.Subscription;
import dev.streams.core.SubscriptionListener;

/**
 * Moves a broker subscription's events onto a channel, pulling only while the channel is writable and the
 * server's {@link OutboundBudget} has room: at most {@link #WINDOW} events are requested ahead. When the client
 * stops reading, Netty's write buffer passes its high-water mark (or all clients together spend the budget), we
 * stop requesting, and events wait in the subscription's bounded queue where its overflow policy applies. The
 * event loop never blocks and other clients never wait.
 */
public final class SubscriptionSink implements SubscriptionListener {
    static final int WINDOW = 64;

    private final Session session;
    private final FrameEncoding encoding;
    private Subscription subscription;
    private int outstanding;
    /** Gaps reported before the session announced the subscription (its replay ran elsewhere); sent after. */
    private java.util.List<Gap> held;
    private boolean announced;
    /**
     * What the dialect calls this subscription on the wire (the native protocol's {@code s1}), or null. Kept
     * here, where the object has a free slot, so that a connection keeps no name-to-subscription map of its own.
     */
    private String name;
    /** Of one topic, no wildcard: while it is its session's only subscription, its frames share the topic's lane. */
    private final boolean oneTopic;

    SubscriptionSink(Session session, FrameEncoding encoding, boolean oneTopic) {
        this.session = session;
        this.encoding = encoding;
        this.oneTopic = oneTopic;
    }

    void attach(Subscription subscription) {
        this.subscription = subscription;
        refill();
    }

    public Subscription subscription() {
        return subscription;
    }

    /** The subscription's name on the wire, or null when its dialect gives it none. */
    public String name() {
        return name;
    }

    /** Names the subscription on the wire. Event loop only. */
    public void name(String name) {
        this.name = name;
    }

    /** Tops demand up to the window while the channel can take more. Event loop only. */
    void refill() {
        if (subscription != null && outstanding < WINDOW / 2 && session.mayPull()) {
            subscription.request(WINDOW - outstanding);
            outstanding = WINDOW;
        }
    }

    void cancel() {
        if (subscription != null) {
            subscription.cancel();
        }
    }

    @Override
    public void onEvent(Event event) {
        outstanding--;
        if (!session.isClosing()) {
            session.sendEvent(event, encoding, oneTopic);
        }
        refill();
    }

    /** The session has told the client about the subscription: held gaps go out now, later ones at once. */
    void announced() {
        announced = true;
        if (held != null) {
            held.forEach(session::gapObserved);
            held = null;
        }
    }

    @Override
    public void onGap(Gap gap) {
        if (!announced) {
            if (held == null) {
                held = new java.util.ArrayList<>(1);
            }
            held.add(gap);
            return;
        }
        session.gapObserved(gap);
    }

    @Override
    public void onClose(CloseReason reason) {
        session.subscriptionClosed(reason);
    }
}
